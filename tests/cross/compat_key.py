"""Writes the compat vectors' encrypted RSA key (compat-rsa.pem/.pub/.password) into the current folder."""
import json, sys
vectors = json.load(open(sys.argv[1]))
key = vectors["private_keys"]["rsa_traditional_encrypted_pem"]
open("compat-rsa.pem", "w").write(key["text"])
open("compat-rsa.pub", "w").write(key["public_openssh"])
open("compat-rsa.password", "w").write(key["password"])
