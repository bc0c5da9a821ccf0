//! Signing keys the tests generate (RS256 and ES256), with what a server is configured
//! with: the public key as PEM, or as a JWK for a key set.

use aws_lc_rs::encoding::{AsBigEndian, AsDer, EcPublicKeyUncompressedBin};
use aws_lc_rs::rsa::{KeyPair as RsaKeyPair, KeySize};
use aws_lc_rs::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

pub struct TestKey {
    pub algorithm: Algorithm,
    encoding: EncodingKey,
    public_der: Vec<u8>,
    /// The JWK members that describe the public key (`kty` and its parameters).
    jwk: Value,
}

impl TestKey {
    /// A fresh RSA-2048 key, for RS256.
    pub fn rsa() -> Self {
        let pair = RsaKeyPair::generate(KeySize::Rsa2048).expect("an RSA key");
        let private = pair.as_der().expect("PKCS#8");
        let public = pair.public_key();
        Self {
            algorithm: Algorithm::RS256,
            // PKCS#8, which the library unwraps to the PKCS#1 key its RSA signer takes.
            encoding: EncodingKey::from_rsa_pem(pem("PRIVATE KEY", private.as_ref()).as_bytes()).expect("an RSA key"),
            public_der: public.as_der().expect("SPKI").as_ref().to_vec(),
            jwk: json!({
                "kty": "RSA",
                "n": URL_SAFE_NO_PAD.encode(public.modulus().big_endian_without_leading_zero()),
                "e": URL_SAFE_NO_PAD.encode(public.exponent().big_endian_without_leading_zero()),
            }),
        }
    }

    /// A fresh P-256 key, for ES256.
    pub fn ec() -> Self {
        let rng = aws_lc_rs::rand::SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng).expect("an EC key");
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref()).expect("PKCS#8");
        let public = pair.public_key();
        let point: EcPublicKeyUncompressedBin = public.as_be_bytes().expect("the public point");
        let (x, y) = point.as_ref()[1..].split_at(32);
        Self {
            algorithm: Algorithm::ES256,
            encoding: EncodingKey::from_ec_der(pkcs8.as_ref()),
            public_der: public.as_der().expect("SPKI").as_ref().to_vec(),
            jwk: json!({
                "kty": "EC",
                "crv": "P-256",
                "x": URL_SAFE_NO_PAD.encode(x),
                "y": URL_SAFE_NO_PAD.encode(y),
            }),
        }
    }

    /// The private key, to sign with an algorithm of one's choosing.
    pub fn encoding_key(&self) -> &EncodingKey {
        &self.encoding
    }

    /// The public key as a PEM `PUBLIC KEY` (SPKI): what `INVITES_JWT_PUBLIC_KEY` takes.
    pub fn public_pem(&self) -> String {
        pem("PUBLIC KEY", &self.public_der)
    }

    /// The name of the algorithm, as configuration spells it.
    pub fn algorithm_name(&self) -> &'static str {
        match self.algorithm {
            Algorithm::RS256 => "RS256",
            Algorithm::ES256 => "ES256",
            other => panic!("no test key for {other:?}"),
        }
    }

    /// The public key as a JWK of a key set, named `kid`.
    pub fn jwk(&self, kid: &str) -> Value {
        let mut jwk = self.jwk.clone();
        jwk["kid"] = json!(kid);
        jwk["alg"] = json!(self.algorithm_name());
        jwk["use"] = json!("sig");
        jwk
    }

    /// A token of `claims` signed with this key, naming `kid` in its header when given.
    pub fn sign(&self, kid: Option<&str>, claims: &impl serde::Serialize) -> String {
        let mut header = Header::new(self.algorithm);
        header.kid = kid.map(str::to_owned);
        jsonwebtoken::encode(&header, claims, &self.encoding).expect("the token is signed")
    }
}

/// DER as PEM with the label `label`.
fn pem(label: &str, der: &[u8]) -> String {
    let body = STANDARD.encode(der);
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    format!("-----BEGIN {label}-----\n{}\n-----END {label}-----\n", lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_keys_sign_and_verify() {
        for key in [TestKey::ec(), TestKey::rsa()] {
            let token = key.sign(Some("k"), &json!({"sub": "x", "exp": 4_000_000_000u64}));
            let decoding = match key.algorithm {
                Algorithm::ES256 => jsonwebtoken::DecodingKey::from_ec_pem(key.public_pem().as_bytes()),
                _ => jsonwebtoken::DecodingKey::from_rsa_pem(key.public_pem().as_bytes()),
            }
            .unwrap();
            let mut validation = jsonwebtoken::Validation::new(key.algorithm);
            validation.required_spec_claims.clear();
            jsonwebtoken::decode::<Value>(&token, &decoding, &validation).unwrap();
        }
    }
}
