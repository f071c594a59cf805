-- The language each person chose for the control room ('en', 'zh-CN');
-- NULL until they choose, so the browser's language is followed.
ALTER TABLE users ADD COLUMN language TEXT;
