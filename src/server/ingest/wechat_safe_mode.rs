//! WeChat Channels safe mode (安全模式): the key material of a WeChat secret,
//! the message signature and the AES envelope of pushed messages.
//!
//! A WeChat secret is `token:EncodingAESKey[:AppID]`, as set in the WeChat
//! console (a bare token is the plain-text mode's secret, see
//! [`super::secret_forms`]):
//!
//! - `msg_signature` (query) = hex SHA1 of the byte-wise sorted concatenation
//!   of `[token, timestamp, nonce, Encrypt]`, `Encrypt` being the field of the
//!   JSON body;
//! - `Encrypt` = base64 of AES-256-CBC with key = base64-decoded
//!   `EncodingAESKey + "="` (32 bytes) and IV = the key's first 16 bytes, over
//!   `random(16) ‖ length of message (u32, big-endian) ‖ message ‖ AppID`,
//!   PKCS#7-padded to a multiple of 32 bytes.
//!
//! Pure. The endpoint checks `msg_signature` before it decrypts, so only
//! ciphertexts signed with the token are ever decrypted (no padding oracle).

use aes::cipher::block_padding::NoPadding;
use aes::cipher::{BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use base64::Engine as _;
use rand::distr::{Alphanumeric, SampleString};
use sha1::{Digest, Sha1};
use std::fmt;

type Encryptor = cbc::Encryptor<aes::Aes256>;
type Decryptor = cbc::Decryptor<aes::Aes256>;

/// Characters of an EncodingAESKey.
pub const AES_KEY_CHARS: usize = 43;
/// Longest token the WeChat console accepts (and the shortest is 3).
const MAX_TOKEN: usize = 32;
const MIN_TOKEN: usize = 3;
/// Longest AppID accepted.
const MAX_APPID: usize = 64;
/// WeChat pads to multiples of 32 bytes, not to the AES block size.
const PAD_TO: usize = 32;
/// Random bytes before the length.
const RANDOM: usize = 16;

/// The EncodingAESKey is 43 base64 characters whose last one carries bits
/// past the 32 bytes: the console does not zero them, so neither do we.
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_allow_trailing_bits(true),
);

/// Why a WeChat secret is not usable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WechatSecretError {
    #[error(
        "a WeChat secret must be token:EncodingAESKey or token:EncodingAESKey:AppID (safe mode)"
    )]
    NotSafeMode,
    #[error("the WeChat token must be {MIN_TOKEN} to {MAX_TOKEN} letters or digits")]
    Token,
    #[error("the EncodingAESKey must be exactly {AES_KEY_CHARS} letters or digits")]
    AesKey,
    #[error("the AppID must be 1 to {MAX_APPID} letters, digits, '_' or '-'")]
    AppId,
}

/// Why a signed `Encrypt` could not be opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpenError {
    #[error("Encrypt is not base64")]
    NotBase64,
    #[error("Encrypt is not a whole number of AES blocks")]
    NotBlocks,
    #[error("the padding is wrong (is the EncodingAESKey right?)")]
    Padding,
    #[error("the stated length exceeds the message")]
    Length,
    #[error("the message is for another AppID")]
    AppId,
}

/// A safe-mode WeChat secret, parsed.
#[derive(Clone, PartialEq, Eq)]
pub struct WechatKey {
    token: String,
    aes_key: [u8; 32],
    appid: Option<String>,
}

/// Never prints the token or the key.
impl fmt::Debug for WechatKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WechatKey")
            .field("appid", &self.appid)
            .finish_non_exhaustive()
    }
}

/// Checks a token as the WeChat console requires it.
pub fn check_token(token: &str) -> Result<(), WechatSecretError> {
    let fits = (MIN_TOKEN..=MAX_TOKEN).contains(&token.len());
    if fits && token.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(())
    } else {
        Err(WechatSecretError::Token)
    }
}

/// The token of a WeChat secret in either form (what plain-text mode signs with).
pub fn token_of(secret: &str) -> &str {
    secret.split_once(':').map_or(secret, |(token, _)| token)
}

impl WechatKey {
    /// Reads `token:EncodingAESKey[:AppID]`.
    pub fn parse(secret: &str) -> Result<WechatKey, WechatSecretError> {
        let mut parts = secret.split(':');
        let (Some(token), Some(aes), appid, None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(WechatSecretError::NotSafeMode);
        };
        check_token(token)?;
        let well_formed =
            aes.len() == AES_KEY_CHARS && aes.bytes().all(|b| b.is_ascii_alphanumeric());
        if !well_formed {
            return Err(WechatSecretError::AesKey);
        }
        let aes_key: [u8; 32] = LENIENT
            .decode(format!("{aes}="))
            .ok()
            .and_then(|bytes| bytes.try_into().ok())
            .ok_or(WechatSecretError::AesKey)?;
        let appid = match appid {
            None => None,
            Some(id) => {
                let fits = (1..=MAX_APPID).contains(&id.len());
                let allowed = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
                if !fits || !id.bytes().all(allowed) {
                    return Err(WechatSecretError::AppId);
                }
                Some(id.to_string())
            }
        };
        Ok(WechatKey {
            token: token.to_string(),
            aes_key,
            appid,
        })
    }

    /// A fresh `token:EncodingAESKey` (32 and 43 random letters and digits), to
    /// be entered in the WeChat console.
    pub fn generate() -> String {
        let mut rng = rand::rng();
        let token = Alphanumeric.sample_string(&mut rng, MAX_TOKEN);
        let aes = Alphanumeric.sample_string(&mut rng, AES_KEY_CHARS);
        format!("{token}:{aes}")
    }

    pub fn token(&self) -> &str {
        &self.token
    }

    /// The `msg_signature` of a safe-mode push, as raw SHA1 bytes.
    pub fn msg_signature(&self, timestamp: &str, nonce: &str, encrypt: &str) -> Vec<u8> {
        sorted_sha1(&mut [self.token.as_str(), timestamp, nonce, encrypt])
    }

    /// Seals `message` as WeChat does, with `random` as its first 16 bytes;
    /// the base64 `Encrypt` value.
    pub fn seal(&self, random: [u8; RANDOM], message: &[u8]) -> String {
        let appid = self.appid.as_deref().unwrap_or_default().as_bytes();
        let length = u32::try_from(message.len()).unwrap_or(u32::MAX);
        let mut plain = Vec::with_capacity(RANDOM + 4 + message.len() + appid.len() + PAD_TO);
        plain.extend_from_slice(&random);
        plain.extend_from_slice(&length.to_be_bytes());
        plain.extend_from_slice(message);
        plain.extend_from_slice(appid);
        let pad = PAD_TO - plain.len() % PAD_TO;
        plain.resize(plain.len() + pad, pad as u8);
        let sealed = Encryptor::new(&self.aes_key.into(), &self.iv().into())
            .encrypt_padded_vec_mut::<NoPadding>(&plain);
        STANDARD.encode(sealed)
    }

    /// The message inside a signed `Encrypt`, after checking its AppID when
    /// one is configured.
    pub fn open(&self, encrypt: &str) -> Result<Vec<u8>, OpenError> {
        let sealed = STANDARD
            .decode(encrypt.trim())
            .map_err(|_| OpenError::NotBase64)?;
        let plain = Decryptor::new(&self.aes_key.into(), &self.iv().into())
            .decrypt_padded_vec_mut::<NoPadding>(&sealed)
            .map_err(|_| OpenError::NotBlocks)?;
        let pad = usize::from(*plain.last().ok_or(OpenError::NotBlocks)?);
        let padded_right = (1..=PAD_TO).contains(&pad)
            && pad <= plain.len()
            && plain[plain.len() - pad..]
                .iter()
                .all(|b| usize::from(*b) == pad);
        if !padded_right {
            return Err(OpenError::Padding);
        }
        let content = &plain[..plain.len() - pad];
        let rest = content.get(RANDOM..).ok_or(OpenError::Length)?;
        let (length, rest) = rest.split_first_chunk::<4>().ok_or(OpenError::Length)?;
        let length = u32::from_be_bytes(*length) as usize;
        if length > rest.len() {
            return Err(OpenError::Length);
        }
        let (message, appid) = rest.split_at(length);
        if let Some(expected) = &self.appid {
            if appid != expected.as_bytes() {
                return Err(OpenError::AppId);
            }
        }
        Ok(message.to_vec())
    }

    fn iv(&self) -> [u8; 16] {
        let mut iv = [0u8; 16];
        iv.copy_from_slice(&self.aes_key[..16]);
        iv
    }
}

/// The plain-text mode `signature`: SHA1 of sorted `[token, timestamp, nonce]`.
pub fn plain_signature(token: &str, timestamp: &str, nonce: &str) -> Vec<u8> {
    sorted_sha1(&mut [token, timestamp, nonce])
}

fn sorted_sha1(parts: &mut [&str]) -> Vec<u8> {
    parts.sort_unstable();
    let mut sha1 = Sha1::new();
    for part in parts.iter() {
        sha1.update(part.as_bytes());
    }
    sha1.finalize().to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    // The sample of WeChat's own message-encryption documentation (its PHP and
    // Python demos): AppID wxb11529c136998cb6, token pamtest.
    const DOC_KEY: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    const DOC_APPID: &str = "wxb11529c136998cb6";

    fn key(appid: Option<&str>) -> WechatKey {
        let secret = match appid {
            Some(id) => format!("pamtest:{DOC_KEY}:{id}"),
            None => format!("pamtest:{DOC_KEY}"),
        };
        WechatKey::parse(&secret).unwrap()
    }

    #[test]
    fn the_aes_key_is_the_base64_of_the_encoding_key_with_one_pad() {
        let k = key(None);
        // "abcd…EFG=" decodes to these 32 bytes (trailing bits kept lenient).
        assert_eq!(k.aes_key.len(), 32);
        assert_eq!(&k.aes_key[..3], &[0x69, 0xb7, 0x1d]);
        assert_eq!(k.iv(), k.aes_key[..16]);
    }

    #[test]
    fn a_sealed_message_opens_to_itself_and_checks_the_appid() {
        let k = key(Some(DOC_APPID));
        let message = br#"{"Event":"channels_ec_order_pay"}"#;
        let sealed = k.seal([7; 16], message);
        assert_eq!(k.open(&sealed).unwrap(), message);
        // The ciphertext is whole 32-byte blocks.
        assert_eq!(STANDARD.decode(&sealed).unwrap().len() % 32, 0);
        // Another shop's AppID is refused; no AppID configured accepts any.
        let other = WechatKey::parse(&format!("pamtest:{DOC_KEY}:wx0000000000000000")).unwrap();
        assert_eq!(other.open(&sealed), Err(OpenError::AppId));
        assert_eq!(key(None).open(&sealed).unwrap(), message);
    }

    #[test]
    fn sealing_matches_an_independent_implementation() {
        // Computed with Python and `openssl enc -aes-256-cbc -nopad` over
        // [7; 16] ‖ 00000007 ‖ {"a":1} ‖ wxb11529c136998cb6, padded to 64 bytes.
        let k = key(Some(DOC_APPID));
        assert_eq!(k.seal([7; 16], br#"{"a":1}"#), SEALED_KAT);
        assert_eq!(k.open(SEALED_KAT).unwrap(), br#"{"a":1}"#);
    }
    const SEALED_KAT: &str =
        "BRPlzjm4EHLf1ipZLZR5Kb2emRkLCJsXqHHOAvLZTixuNm1/UF1vwXxaufrJNJmhtx5/o9nP0zT82odROFMKEQ==";

    #[test]
    fn messages_of_every_length_round_trip() {
        let k = key(Some(DOC_APPID));
        for n in 0..100 {
            let message = vec![b'x'; n];
            assert_eq!(k.open(&k.seal([n as u8; 16], &message)).unwrap(), message);
        }
    }

    #[test]
    fn a_wrong_key_or_broken_ciphertext_is_an_error_not_a_panic() {
        let sealed = key(None).seal([1; 16], b"hello");
        let wrong =
            WechatKey::parse("pamtest:ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefg").unwrap();
        assert!(wrong.open(&sealed).is_err());
        let k = key(None);
        assert_eq!(k.open("%%%"), Err(OpenError::NotBase64));
        assert_eq!(
            k.open(&STANDARD.encode([0u8; 20])),
            Err(OpenError::NotBlocks)
        );
        assert!(k.open("").is_err());
        for n in [16, 32, 48, 64] {
            assert!(k.open(&STANDARD.encode(vec![0u8; n])).is_err());
        }
    }

    #[test]
    fn msg_signature_sorts_its_four_parts() {
        // sha1("1409304348" + "encrypted" + "nonce" + "pamtest"), parts sorted.
        let k = key(None);
        let mut sha1 = Sha1::new();
        sha1.update(b"1409304348encryptednoncepamtest");
        assert_eq!(
            k.msg_signature("1409304348", "nonce", "encrypted"),
            sha1.finalize().to_vec()
        );
        assert_eq!(
            hex::encode(plain_signature("token", "1", "abc")),
            "c06f3132e2dcb449d9fde7c1ef946effdf69a79c"
        );
    }

    #[test]
    fn secrets_are_checked_part_by_part() {
        let ok = format!("pamtest:{DOC_KEY}");
        assert!(WechatKey::parse(&ok).is_ok());
        assert_eq!(
            WechatKey::parse("pamtest"),
            Err(WechatSecretError::NotSafeMode)
        );
        assert_eq!(
            WechatKey::parse(&format!("{ok}:{DOC_APPID}:extra")),
            Err(WechatSecretError::NotSafeMode)
        );
        assert_eq!(
            WechatKey::parse(&format!("pam-test:{DOC_KEY}")),
            Err(WechatSecretError::Token)
        );
        assert_eq!(
            WechatKey::parse(&format!("pt:{DOC_KEY}")),
            Err(WechatSecretError::Token)
        );
        assert_eq!(
            WechatKey::parse("pamtest:short"),
            Err(WechatSecretError::AesKey)
        );
        assert_eq!(
            WechatKey::parse(&format!("pamtest:{}+", &DOC_KEY[..42])),
            Err(WechatSecretError::AesKey)
        );
        assert_eq!(
            WechatKey::parse(&format!("{ok}:")),
            Err(WechatSecretError::AppId)
        );
        assert_eq!(
            WechatKey::parse(&format!("{ok}:wx 1")),
            Err(WechatSecretError::AppId)
        );
        assert_eq!(token_of(&ok), "pamtest");
        assert_eq!(token_of("plain"), "plain");
    }

    #[test]
    fn generated_secrets_parse_and_differ() {
        let a = WechatKey::generate();
        let b = WechatKey::generate();
        assert_ne!(a, b);
        let parsed = WechatKey::parse(&a).unwrap();
        assert_eq!(parsed.token().len(), 32);
        assert!(!format!("{parsed:?}").contains(parsed.token()));
    }
}
