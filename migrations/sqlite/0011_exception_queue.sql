-- The exception queues and the detectors' clock.
--
-- `exception_queue`: one row per open exception (a projection of the log,
-- rebuilt with the others). Each team's queue reads its codes in order of
-- raising through `exception_queue_by_code`; the service-level deadline is
-- raising time + the setting for the code, so a change of setting needs no
-- rewrite.
CREATE TABLE exception_queue (
    order_id       TEXT NOT NULL,
    code           TEXT NOT NULL,
    parcel         TEXT NOT NULL DEFAULT '',
    raised_at      INTEGER NOT NULL,
    snoozed_until  INTEGER,
    claimed_by     TEXT,
    warehouse      TEXT,
    PRIMARY KEY (order_id, code, parcel)
) STRICT;
CREATE INDEX exception_queue_by_code ON exception_queue (code, raised_at, order_id, parcel);
CREATE INDEX exception_queue_by_warehouse ON exception_queue (warehouse, code);

-- When the detectors look at an order again (the earliest next check any of
-- them asked for), keyed by the moment: the scheduler reads what is due, and
-- nothing else, whatever the number of orders waiting.
CREATE TABLE detector_schedule (
    order_id  TEXT PRIMARY KEY NOT NULL,
    due_at    INTEGER NOT NULL
) STRICT;
CREATE INDEX detector_schedule_by_due ON detector_schedule (due_at);

-- How far along the log the detectors have looked (one row).
CREATE TABLE detector_cursor (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL
) STRICT;

-- The detectors' settings, one row per saved version; the highest is in force.
CREATE TABLE detector_settings (
    version   INTEGER PRIMARY KEY NOT NULL,
    body      TEXT NOT NULL,
    saved_by  TEXT NOT NULL,
    saved_at  TEXT NOT NULL
) STRICT;
