// Fixed test keys of the fuzz targets and the seed generator (generated once for this
// purpose with openssl genpkey / ssh-keygen; they protect nothing). Fixed keys keep every
// run deterministic, and seeds signed with them reach the deep verification paths.
#pragma once

namespace fuzz_keys {

inline constexpr const char kRsaPrivatePem[] = R"PEM(-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDdaalgHISK3nTg
1UQT1vS9nq5nWr1Ptk2GxerW1PXEqiiyWUzowatoZrczv2ix6dtGiDv6pPdNvszg
/m/K/x4AXWIHnSC1cROAx2Iu5RvS6jJFiihXB33o5QAbO6P9XAiA1vm6SbSDj8HD
poOWwmrel7eqXxAnrSWJW9kqv48oYsfd0Q1X9UWLPxhGm4ff8RFFlr1YUahPtDvH
ulKRuJkKivZXXJQ9qJOJZGG6l10aWla8p3J9HnvB/hzg8AQGEh2fpv4qbArDYQlA
N2H9x+aYgUdMEO593TQ6Xuv6XqvsoSf9K7eTAtnfUmYzbolNFpDiR5yrrkiT+rv3
xKeqmaW7AgMBAAECggEAGQYrJXizpjpUPWD9K7zctl2r2nSP9uVkx7mwvA0fpdWR
ee7L2XaiF8+cHxYgEBOdO9CD7uUcKkZJQ5ieK/Q/gM0NGk0w+DDKgoCGYUR1q5Xa
jq95tbRcD6lqJKnN9AGl2GHzoZFY/JGP1bwJHU3l5DiDgpbx7XoNRwQBfGpgFLE3
ko4vh6qxv8S0Vfd1gnSqP4EcjkXFGBfZyCCa6SMZ5o2WLo+zuNZNRt1gIKhPK8I5
T6O59h3Av2L+p7WwddfJGCNYotfmKF+z7eojephlGHnKOD5kSl72yFJmAEigyx79
GpFvEtLjR4WWlUZe6r9Xmp7nDqTfx4NNYO+rz4DRWQKBgQDvDSWSMRCC9BqNJ43n
HcTmGOJ+08hmE48fhcOvtq4CJR162vos2C8WmZ2gPq10QzGssDRf1erGytAVLpIQ
aVXwah01Lgg4MNXc2xSWXe2cNY8mRWl+XugVqUG1hYpabzJMyULhFlQD0VtWx2kO
3v9Dwtqmi73NI44gy1F4q+X3VwKBgQDtHF5nstyN+KBOVpnuzV1TbvJiagztSVl5
2iBILJKN/b4OKVYONUKH2jjGmRp5lVbfAI8U8I1dfAtuod57P9L9V/JXuFGtcYq2
sMFIXhX0gTEB9CRuDi+pdhSYfCJ+ovCyksNrcJ9HnF1cHpq1u/M03JC+fur44q7d
dIKA1Nw6PQKBgG8o8t6fOClc73fR+9eL7UJ+Mdx+CMMGt1gWMJ/l19ahgareZtUx
lfvxZO3eF3RnxpKhwUkLRUg5iTdAV6WQBelsvrY6+JGAjAJOUa12cgZglXdbcanU
4iEoeqi5N1PEP2SbdiEK6/h2gv3Abqb+pT7SPjCR7KmWrgGr6e+uJ5qzAoGAOdrd
MiJTbJTI0LSS1NDpP61nmRnVU6S9H11Y2SN/EwRh9mShqc/XDvzxM4wyCI6m5rzl
LK/RXokg5Pq8JYiaO9TUvhCsZUy6Ev+n+bdzVfib86UVqoDtokS8m8RWSl4Jqxji
c/nD8540rYCOMV/N5Q0YiFLBlL8C+egu266UmeUCgYEAramuFW7RPwyhXvo8+V/n
VmsMunFTMj3l2dAEtdK2E0gvLbjVv1LbOFnZGeLFMw1jJzEopd8ooYCygl+3GfbE
PoiArHiDDt4/MVNZC06J4C166G4vHYwBWlC/6yTxa0Z8Fz9bXjjlXRRqDA56hHmC
X+Z2ZfIj9ad+c98oPNzubAY=
-----END PRIVATE KEY-----
)PEM";
inline constexpr const char kEd25519PrivatePem[] = R"PEM(-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIEthu26ziMKGnvi/fN8UodjplR2Zm8LsczCG9pub8J+F
-----END PRIVATE KEY-----
)PEM";
inline constexpr const char kEd448PrivatePem[] = R"PEM(-----BEGIN PRIVATE KEY-----
MEcCAQAwBQYDK2VxBDsEOVtz1ecFyInxjkntoaMdlGHJewDu2plSqe0tIx8szpxF
+xBm8vkbaPaWPLz4QXSgLSlLu4mfCRNv1g==
-----END PRIVATE KEY-----
)PEM";
inline constexpr const char kP256PrivatePem[] = R"PEM(-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgbmOs88pAwn6md4fH
dh8x1Qa4Xfbo5rRIScql6PganwihRANCAARgQ97rqp6EzyenbOSGS3RzEvcrZ2oV
+qMgqWEBzCU45NSGK4gVdSXdeZ9TJhDwLf2WBZgtqnReP7+VHtF6aoa6
-----END PRIVATE KEY-----
)PEM";
inline constexpr const char kP384PrivatePem[] = R"PEM(-----BEGIN PRIVATE KEY-----
MIG2AgEAMBAGByqGSM49AgEGBSuBBAAiBIGeMIGbAgEBBDC6sBu5yMpZShixSj30
2lcoVZsetiPE0lEc6a+Tdv2i32rI0tkfltxfTqykzB5zTOGhZANiAASa3gLHLK3R
AJ8R02zEQWlhkvCwj+9otgl/gArPkmZb4zJhH9ZD+eeush3V0iBgdcrux1x42so2
yjXYFEnTJKFhSP/+opHV6fiHzetcAlJxa7OsAC9Bzt8c0YHi4X5aQ/0=
-----END PRIVATE KEY-----
)PEM";
inline constexpr const char kP521PrivatePem[] = R"PEM(-----BEGIN PRIVATE KEY-----
MIHuAgEAMBAGByqGSM49AgEGBSuBBAAjBIHWMIHTAgEBBEIBqqHb+f038muXu2HQ
eI8Xo3JMrKciblHKur6tjagW4iUHXyt8aFkMXNNE/wmdBabf0w3IdlqHGJDLg6ft
GRrCvNmhgYkDgYYABABJSKbiY+r4QqqEA7MmYCc/xHDcrXk0wq3PkYvzUWFSMYRj
pZgN89ub/H3tvytzirgrykhwwmfCOeRU4X9iQYbPzwFSKsKZMW5zlMC2+BPHL7pQ
lyU5QAJs1QX+GxpH3L6f3HijS/OinSKFAOjOO2a7zxacP1u7yigoNMhHLx3rVG5G
qQ==
-----END PRIVATE KEY-----
)PEM";
inline constexpr const char kP256TraditionalPem[] = R"PEM(-----BEGIN EC PRIVATE KEY-----
MHcCAQEEIG5jrPPKQMJ+pneHx3YfMdUGuF326Oa0SEnKpej4Gp8IoAoGCCqGSM49
AwEHoUQDQgAEYEPe66qehM8np2zkhkt0cxL3K2dqFfqjIKlhAcwlOOTUhiuIFXUl
3XmfUyYQ8C39lgWYLap0Xj+/lR7RemqGug==
-----END EC PRIVATE KEY-----
)PEM";
inline constexpr const char kOpensshEd25519Private[] = R"PEM(-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
QyNTUxOQAAACCF2tCb3KJQVJkQPIAPferK0/td2uEmrwk3Ci3hpWe9sAAAAJBlnFZgZZxW
YAAAAAtzc2gtZWQyNTUxOQAAACCF2tCb3KJQVJkQPIAPferK0/td2uEmrwk3Ci3hpWe9sA
AAAEBjQDY9tZg+yzwCkFXAR9+jppWEqyrQq6iEn7I0r4iizYXa0JvcolBUmRA8gA996srT
+13a4SavCTcKLeGlZ72wAAAACWZ1enpAc2VlZAECAwQ=
-----END OPENSSH PRIVATE KEY-----
)PEM";
inline constexpr const char kOpensshP256Private[] = R"PEM(-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAaAAAABNlY2RzYS
1zaGEyLW5pc3RwMjU2AAAACG5pc3RwMjU2AAAAQQQq/MCx93szsNh5CilGzjNG80R+MIz0
PsWKZrsgBJJe/guoZrSW7e2JX7DfxvxkMlCXdlg/6NrCNkmrXjf1yl4hAAAAqPnmBiD55g
YgAAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBCr8wLH3ezOw2HkK
KUbOM0bzRH4wjPQ+xYpmuyAEkl7+C6hmtJbt7YlfsN/G/GQyUJd2WD/o2sI2SateN/XKXi
EAAAAgdHDgw7U+zY62Lzlloh6H+Txx7PcXY8akKSnjoGN5ldEAAAAJZnV6ekBzZWVkAQID
BAUGBw==
-----END OPENSSH PRIVATE KEY-----
)PEM";
inline constexpr const char kOpensshRsaPrivate[] = R"PEM(-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAABFwAAAAdzc2gtcn
NhAAAAAwEAAQAAAQEAzaBd0P6qXgVLazfJalfLjbNl6MeT0d/6lXc+6Nebl24wFFNPYNgm
cYG/9XnEs8zISAnK3T2UzpFX7Z6pnqxuoCIilgmPSTli8gf3O5VCPwJqBwgm/uqB3HHkxv
mpOlTGdbQRaXV96ctOQnIq9As3W5+LaKfelrG5/Z4qvGdgzlj8geyKsG+5tHam3ZCdXU8P
zPdF09peNbeG8xnN1iy0dZqWN6pvmkceNLdZOnRNbq+afO1l5bD8wXU6GV2n723Px1NUYY
Ys05nuRZX9EYXHRdaOV1SgW13pMYwJHrPw6msydrcjHZLnMPbOQj36jd1mmPzo1Ab7Sq5o
201awDUUPQAAA8A01aHzNNWh8wAAAAdzc2gtcnNhAAABAQDNoF3Q/qpeBUtrN8lqV8uNs2
Xox5PR3/qVdz7o15uXbjAUU09g2CZxgb/1ecSzzMhICcrdPZTOkVftnqmerG6gIiKWCY9J
OWLyB/c7lUI/AmoHCCb+6oHcceTG+ak6VMZ1tBFpdX3py05Ccir0Czdbn4top96Wsbn9ni
q8Z2DOWPyB7Iqwb7m0dqbdkJ1dTw/M90XT2l41t4bzGc3WLLR1mpY3qm+aRx40t1k6dE1u
r5p87WXlsPzBdToZXafvbc/HU1RhhizTme5Flf0RhcdF1o5XVKBbXekxjAkes/DqazJ2ty
Mdkucw9s5CPfqN3WaY/OjUBvtKrmjbTVrANRQ9AAAAAwEAAQAAAQAGwVLzr7oXFqNwpUeH
p9S3FgKuEAhqJ6qKyH0XlyW0ZtlLgaUk8FTq+7E7tkFhCsQ1oaS5efFui9XQp5q47L9BoX
1zYmMDq8/1VY+otHGVslWbX4gwbbHQdSln5AHMOca/TSgZR9PYH2a1xhxlIg0yhF5HFOS6
HKKYk16iC99hR/oIeIAkm/6yefHsry57l0RgYuRuLN7uEYIi7lYPG2A2P+i0CYmfF5XkY5
tP7mfxyrlSsKJPIs+NKilnf5iiQ6i8cfaMErgUPnBZjBFdzGD4A21+AuhsOAdJ7XhexiCZ
x6Utk1ug7t++oogw4Xv5iQ68MpafBlyo74PUEJRoBa0dAAAAgFMYq+oSXeKf9gfSzBC9qQ
8LOmxrGKXmd7atCRDhK9MsBwHoFLDwEkTQI5fnibjILUpMrMV6bWi1EzFz4zhkPf5QR5F6
Eois7Qqywrtit8Hra8k6/rgxFaM7rXBQdx5XRlRaEquovVeaXN9v8uN3TvZt6/VgwbRAUt
dvMYebKOKRAAAAgQDmDJu8e21sVUUumOGDOe0NrXENRcunimZywbx15j5lQ0360W25wIVx
UmWf17vPEhtK+i/ESWZvYwysvU32b0IOv882/IEdaJImRJNr1iS56jDE8wyz/fzIlXdrUh
kNhIeN/Y+pspNRHzyOuxDV9f46WiEljg9zaM4cX+PChashUwAAAIEA5NJ5CnputMMdcj+O
+mr+IgfUmbD6uaYm1/mpUwJtnhMDXiuWwtrrxOfZMPBeYRZ3Kl0Np1hiA3F3ldeaM1w6JC
7KRN3LX66+d0UXn6KeMkpcAZS/A2rDCzZT1nzC6hFRwKCRCWA8vbj+C0e4ZYMtvHIRSoNS
xHzn78l72Y3hci8AAAAJZnV6ekBzZWVkAQI=
-----END OPENSSH PRIVATE KEY-----
)PEM";
// `ssh-keygen -a 1 -N password` (ed25519, aes256-ctr; P-256, aes256-gcm@openssh.com; ed25519,
// chacha20-poly1305@openssh.com): one bcrypt
// round, and the password the target retries with, so mutations reach the decrypted section.
inline constexpr const char kOpensshEncryptedPrivate[] = R"PEM(-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAACmFlczI1Ni1jdHIAAAAGYmNyeXB0AAAAGAAAABD7Q1ruMM
rCpigmGcwJ0RcxAAAAAQAAAAEAAAAzAAAAC3NzaC1lZDI1NTE5AAAAIJRbonPfiwhnUWDD
3pFSj/OOhaU3wq9RcKQHpFy5XLxbAAAAkNCH8P9Gpqavca2bdO+yZxOaOBPM4a0G23wFmV
FK13zk88VMkj/GLLIoDV+GM28mNFEg4t+/IOTxNZdK9vHDaEMr+MfvVw5pzS8PPSSXXhYs
V0zIPCrqRFF+s2SvUEix6dMTWzLda+b+jp7+nU4VE1LhyqenH9O2DVfLTBlkKbTqhUyCfh
t+IBAQSz3iqnaMMw==
-----END OPENSSH PRIVATE KEY-----
)PEM";
inline constexpr const char kOpensshEncryptedGcmPrivate[] = R"PEM(-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAAFmFlczI1Ni1nY21Ab3BlbnNzaC5jb20AAAAGYmNyeXB0AA
AAGAAAABBp2e+UlLHmfxtnm1F/xFjcAAAAAQAAAAEAAABoAAAAE2VjZHNhLXNoYTItbmlz
dHAyNTYAAAAIbmlzdHAyNTYAAABBBMV1cQYkAljUCMfZOJQN+NFnCSEF5cx/1fQ37knzQ+
gJdFruQc1EdWeY9iYs1sA38Co93yJkwCBboZVt8gbQWU8AAACww8dsmyXk38JBddSsknmk
Io1N6b6pJLZuTe1g3berJti33bPncUxgNcn/iemSu1C76+3xgj3aK5kBKFBq854Vyf01hY
pgDxnH/53tuNnCEKsAaazLpNW43Uk7D3EB2oAYZihLbaeq9ILMovOIObo+SBJQeN5OaSSo
OBLYCOFTj6e6y4oSTtoTj7aW/isBTS4GRx/HWQc5l0mY20QXsXddPVKv0+VkodCG/Yi7bV
OWZyVJ3GuJNaKIyG8sJbsNO7f3
-----END OPENSSH PRIVATE KEY-----
)PEM";
inline constexpr const char kOpensshEncryptedChachaPrivate[] = R"PEM(-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAAHWNoYWNoYTIwLXBvbHkxMzA1QG9wZW5zc2guY29tAAAABm
JjcnlwdAAAABgAAAAQkq4vpbKJqHRCqNaY+o3FggAAAAEAAAABAAAAMwAAAAtzc2gtZWQy
NTUxOQAAACBImDvfKrPGP6KYiL+MgTUccQo+LaoNJSR7Y85HY35SPwAAAJAlFDIije+xhR
iU/5fC9Q0wEXKRh4cxQc8iGYstrjkGmhDcC0zN1fB3w12DJuZbG5aikDVqh5PkJ0ZOOKld
ExQnj+Ctae16aqG/r9fQsy+ywC9UXyLJ+ppLZWxPJfcjkyhDeDv090eEznaAGLJSzf+Hhe
NYHsl81WlLVzdHC2IgKEM9LFJK8JkCf3xmrkPBkOBRjeEEuj6Xq9MdVBjel3mQ
-----END OPENSSH PRIVATE KEY-----
)PEM";
inline constexpr const char kOpensshEd25519Public[] = R"PEM(ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIXa0JvcolBUmRA8gA996srT+13a4SavCTcKLeGlZ72w fuzz@seed
)PEM";
inline constexpr const char kOpensshP256Public[] = R"PEM(ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBCr8wLH3ezOw2HkKKUbOM0bzRH4wjPQ+xYpmuyAEkl7+C6hmtJbt7YlfsN/G/GQyUJd2WD/o2sI2SateN/XKXiE= fuzz@seed
)PEM";
inline constexpr const char kOpensshRsaPublic[] = R"PEM(ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDNoF3Q/qpeBUtrN8lqV8uNs2Xox5PR3/qVdz7o15uXbjAUU09g2CZxgb/1ecSzzMhICcrdPZTOkVftnqmerG6gIiKWCY9JOWLyB/c7lUI/AmoHCCb+6oHcceTG+ak6VMZ1tBFpdX3py05Ccir0Czdbn4top96Wsbn9niq8Z2DOWPyB7Iqwb7m0dqbdkJ1dTw/M90XT2l41t4bzGc3WLLR1mpY3qm+aRx40t1k6dE1ur5p87WXlsPzBdToZXafvbc/HU1RhhizTme5Flf0RhcdF1o5XVKBbXekxjAkes/DqazJ2tyMdkucw9s5CPfqN3WaY/OjUBvtKrmjbTVrANRQ9 fuzz@seed
)PEM";

}  // namespace fuzz_keys
