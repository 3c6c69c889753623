#ifndef CCRYPTO_SHIM_H
#define CCRYPTO_SHIM_H
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/err.h>
#include <openssl/bio.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

/* BIO_get_mem_data is a macro around BIO_ctrl. */
static inline long ccrypto_bio_get_mem_data(BIO *b, char **pp) { return BIO_get_mem_data(b, pp); }

/* EVP_PKEY_ED25519 is a macro aliasing NID_ED25519. */
static inline int ccrypto_evp_pkey_ed25519(void) { return EVP_PKEY_ED25519; }

/* A PEM password callback that never prompts: encrypted keys fail instead of
   blocking on the terminal (OpenSSL's default callback reads /dev/tty). */
static int ccrypto_no_password_cb(char *buf, int size, int rwflag, void *u) {
    (void)buf; (void)size; (void)rwflag; (void)u;
    return -1;
}

/* Reads a PEM private key without ever prompting for a passphrase. */
static inline EVP_PKEY *ccrypto_read_private_key(BIO *b) {
    return PEM_read_bio_PrivateKey(b, NULL, ccrypto_no_password_cb, NULL);
}

/* Reads a PEM public key (SubjectPublicKeyInfo) without prompting. */
static inline EVP_PKEY *ccrypto_read_public_key(BIO *b) {
    return PEM_read_bio_PUBKEY(b, NULL, ccrypto_no_password_cb, NULL);
}
#endif
