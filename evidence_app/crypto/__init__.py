"""Keys, signatures and encryption: signing identities (X.509 + PKCS#12), detached CMS and
PAdES signatures, and hardened streaming use of the age format (pyrage). No Qt here."""
