package ajwt

/*
#include <ajwt.h>
*/
import "C"

import "runtime"

// Alg is a JOSE signature algorithm (ajwt_alg).
type Alg int

// The algorithms of ajwt.h. AlgDefault (AJWT_ALG_UNKNOWN) asks for a key's preferred one.
const (
	AlgDefault Alg = C.AJWT_ALG_UNKNOWN
	RS256      Alg = C.AJWT_ALG_RS256
	RS384      Alg = C.AJWT_ALG_RS384
	RS512      Alg = C.AJWT_ALG_RS512
	PS256      Alg = C.AJWT_ALG_PS256
	PS384      Alg = C.AJWT_ALG_PS384
	PS512      Alg = C.AJWT_ALG_PS512
	ES256      Alg = C.AJWT_ALG_ES256
	ES384      Alg = C.AJWT_ALG_ES384
	ES512      Alg = C.AJWT_ALG_ES512
	EdDSA      Alg = C.AJWT_ALG_EDDSA
)

// String is the JOSE name ("RS256", "EdDSA"), or "" for AlgDefault and unknown values.
func (a Alg) String() string {
	name := C.ajwt_alg_name(C.ajwt_alg(a))
	if name == nil {
		return ""
	}
	return C.GoString(name)
}

// ParseAlg maps a JOSE name (exact, case-sensitive) to an Alg; false for anything else.
func ParseAlg(name string) (Alg, bool) {
	p, n := cstr(name)
	a := Alg(C.ajwt_alg_from_name(p, n))
	return a, a != AlgDefault
}

// KeyType is the kind of a key (ajwt_key_type).
type KeyType int

// The key types of ajwt.h.
const (
	KeyRSA     KeyType = C.AJWT_KEY_RSA
	KeyEd25519 KeyType = C.AJWT_KEY_ED25519
	KeyEd448   KeyType = C.AJWT_KEY_ED448
	KeyECP256  KeyType = C.AJWT_KEY_EC_P256
	KeyECP384  KeyType = C.AJWT_KEY_EC_P384
	KeyECP521  KeyType = C.AJWT_KEY_EC_P521
)

func (t KeyType) String() string {
	switch t {
	case KeyRSA:
		return "RSA"
	case KeyEd25519:
		return "Ed25519"
	case KeyEd448:
		return "Ed448"
	case KeyECP256:
		return "P-256"
	case KeyECP384:
		return "P-384"
	case KeyECP521:
		return "P-521"
	}
	return "unknown"
}

// KeyFormat selects the text format of a public key (ajwt_key_format).
type KeyFormat int

// Public key text formats. FormatAny tries PEM, OpenSSH, then JWK.
const (
	FormatAny     KeyFormat = C.AJWT_FORMAT_ANY
	FormatPEM     KeyFormat = C.AJWT_FORMAT_PEM
	FormatOpenSSH KeyFormat = C.AJWT_FORMAT_OPENSSH
	FormatJWK     KeyFormat = C.AJWT_FORMAT_JWK
)

// ExportFormat selects what Key.Export writes (ajwt_export_format).
type ExportFormat int

// Export formats.
const (
	ExportPublicPEM     ExportFormat = C.AJWT_EXPORT_PUBLIC_PEM
	ExportPublicOpenSSH ExportFormat = C.AJWT_EXPORT_PUBLIC_OPENSSH
	ExportPublicJWK     ExportFormat = C.AJWT_EXPORT_PUBLIC_JWK
	ExportPrivatePKCS8  ExportFormat = C.AJWT_EXPORT_PRIVATE_PKCS8
)

// Key is a public or private key (ajwt_key). It is immutable and safe for concurrent use.
type Key struct {
	ptr     *C.ajwt_key
	cleanup runtime.Cleanup
}

// wrapKey takes ownership of a key handle.
func wrapKey(p *C.ajwt_key) *Key {
	k := &Key{ptr: p}
	k.cleanup = runtime.AddCleanup(k, func(p *C.ajwt_key) { C.ajwt_key_free(p) }, p)
	return k
}

// Close releases the key. Further use returns ErrInvalidArgument; Close again is a no-op.
func (k *Key) Close() error {
	if k != nil && k.ptr != nil {
		k.cleanup.Stop()
		C.ajwt_key_free(k.ptr)
		k.ptr = nil
	}
	return nil
}

// handle returns the C handle, or nil for a nil or closed key.
func (k *Key) handle() *C.ajwt_key {
	if k == nil {
		return nil
	}
	return k.ptr
}

// ParsePublicKey loads a public key in any accepted format: PEM SPKI, PEM PKCS#1, an OpenSSH
// line ("ssh-ed25519 AAAA... comment") or a JWK. Parsed keys are cached by libajwt, so loading
// the same text again is cheap.
func ParsePublicKey(text []byte) (*Key, error) { return ParsePublicKeyFormat(text, FormatAny) }

// ParsePublicKeyFormat loads a public key in one format only.
func ParsePublicKeyFormat(text []byte, format KeyFormat) (*Key, error) {
	var out *C.ajwt_key
	var e C.ajwt_error
	p, n := cbytes(text)
	if st := C.ajwt_key_load_public(p, n, C.ajwt_key_format(format), &out, &e); st != C.AJWT_OK {
		return nil, newError(st, &e)
	}
	return wrapKey(out), nil
}

// ParsePrivateKey loads a private key: PKCS#8 PEM, traditional PEM (either possibly encrypted)
// or an OPENSSH PRIVATE KEY (plain or with ssh-keygen's passphrase). password nil means none.
func ParsePrivateKey(text, password []byte) (*Key, error) {
	var out *C.ajwt_key
	var e C.ajwt_error
	p, n := cbytes(text)
	var pw *C.char
	var pwn C.size_t
	if password != nil {
		pw, pwn = cbytes(password)
	}
	if st := C.ajwt_key_load_private(p, n, pw, pwn, &out, &e); st != C.AJWT_OK {
		return nil, newError(st, &e)
	}
	return wrapKey(out), nil
}

// GenerateKey makes a new private key of the given type (RSA: 2048 bits, exponent 65537).
func GenerateKey(t KeyType) (*Key, error) { return GenerateRSAKey(t, 0, 0) }

// GenerateRSAKey is GenerateKey with the RSA size (2048..8192 bits, 0 = 2048) and public
// exponent (odd, >= 3, 0 = 65537); both are ignored for other key types.
func GenerateRSAKey(t KeyType, bits uint, exponent uint64) (*Key, error) {
	var out *C.ajwt_key
	var e C.ajwt_error
	if st := C.ajwt_key_generate(C.ajwt_key_type(t), C.unsigned(bits), C.uint64_t(exponent), &out, &e); st != C.AJWT_OK {
		return nil, newError(st, &e)
	}
	return wrapKey(out), nil
}

// Public returns the public half as a new Key (for a public key, another reference to it).
func (k *Key) Public() (*Key, error) {
	h := k.handle()
	if h == nil {
		return nil, closedError("key")
	}
	var out *C.ajwt_key
	var e C.ajwt_error
	st := C.ajwt_key_public(h, &out, &e)
	runtime.KeepAlive(k)
	if st != C.AJWT_OK {
		return nil, newError(st, &e)
	}
	return wrapKey(out), nil
}

// Type is the key's type (0 for a closed key).
func (k *Key) Type() KeyType {
	t := KeyType(C.ajwt_key_get_type(k.handle()))
	runtime.KeepAlive(k)
	return t
}

// IsPrivate reports whether the key holds private material.
func (k *Key) IsPrivate() bool {
	r := C.ajwt_key_is_private(k.handle()) != 0
	runtime.KeepAlive(k)
	return r
}

// Bits is the key size (RSA modulus, curve size; 256 for Ed25519).
func (k *Key) Bits() int {
	r := int(C.ajwt_key_bits(k.handle()))
	runtime.KeepAlive(k)
	return r
}

// Comment is the comment of an OpenSSH key, "" if none.
func (k *Key) Comment() string {
	var n C.size_t
	p := C.ajwt_key_comment(k.handle(), &n)
	s := borrowedString(p, n)
	runtime.KeepAlive(k)
	return s
}

// Fingerprint is the lowercase hex SHA-256 of the key's canonical PEM SPKI text; tokens signed
// with the key carry it as their kid.
func (k *Key) Fingerprint() (string, error) {
	h := k.handle()
	if h == nil {
		return "", closedError("key")
	}
	var buf [C.AJWT_FINGERPRINT_SIZE]C.char
	var e C.ajwt_error
	st := C.ajwt_key_fingerprint(h, &buf[0], &e)
	runtime.KeepAlive(k)
	if st != C.AJWT_OK {
		return "", newError(st, &e)
	}
	return arrayString(&buf[0], len(buf)), nil
}

// Algorithms are the key's default algorithms, most preferred first (RSA: RS512, RS384, RS256;
// Ed25519: EdDSA).
func (k *Key) Algorithms() []Alg {
	var buf [16]C.ajwt_alg
	n := int(C.ajwt_key_algorithms(k.handle(), &buf[0], C.size_t(len(buf))))
	runtime.KeepAlive(k)
	if n > len(buf) {
		n = len(buf)
	}
	algs := make([]Alg, n)
	for i := range algs {
		algs[i] = Alg(buf[i])
	}
	return algs
}

// SupportsAlg reports whether alg can be used with this key's type at all.
func (k *Key) SupportsAlg(alg Alg) bool {
	r := C.ajwt_key_supports_alg(k.handle(), C.ajwt_alg(alg)) != 0
	runtime.KeepAlive(k)
	return r
}

// Export writes the key in a format. password is used for ExportPrivatePKCS8 only (nil = an
// unencrypted PEM).
func (k *Key) Export(format ExportFormat, password []byte) ([]byte, error) {
	h := k.handle()
	if h == nil {
		return nil, closedError("key")
	}
	var pw *C.char
	var pwn C.size_t
	if password != nil {
		pw, pwn = cbytes(password)
	}
	var out *C.char
	var n C.size_t
	var e C.ajwt_error
	st := C.ajwt_key_export(h, C.ajwt_export_format(format), pw, pwn, &out, &n, &e)
	runtime.KeepAlive(k)
	if st != C.AJWT_OK {
		return nil, newError(st, &e)
	}
	return takeBytes(out, n), nil
}

// PublicPEM is Export(ExportPublicPEM): the canonical PEM SPKI text.
func (k *Key) PublicPEM() (string, error) { return k.exportString(ExportPublicPEM) }

// OpenSSH is Export(ExportPublicOpenSSH): one "ssh-... AAAA... comment" line.
func (k *Key) OpenSSH() (string, error) { return k.exportString(ExportPublicOpenSSH) }

// JWK is Export(ExportPublicJWK): the public key as compact JWK JSON.
func (k *Key) JWK() (string, error) { return k.exportString(ExportPublicJWK) }

func (k *Key) exportString(format ExportFormat) (string, error) {
	b, err := k.Export(format, nil)
	return string(b), err
}

// Equal reports whether both keys hold the same public key.
func (k *Key) Equal(other *Key) bool {
	r := C.ajwt_key_equal(k.handle(), other.handle()) != 0
	runtime.KeepAlive(k)
	runtime.KeepAlive(other)
	return r
}

// borrowKeyCopy turns a borrowed member pointer into an owned Key (a new reference).
func borrowKeyCopy(p *C.ajwt_key) *Key {
	if p == nil {
		return nil
	}
	var out *C.ajwt_key
	if C.ajwt_key_public(p, &out, nil) != C.AJWT_OK {
		return nil
	}
	return wrapKey(out)
}
