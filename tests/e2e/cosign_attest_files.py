#!/usr/bin/python3
"""Writes attestations as `cosign attest --key` and `cosign save` write them, for e2e tests
(cosign is not installed): OpenSSL signs, this script lays the files out.

  cosign_attest_files.py layout OUT_DIR MANIFEST CONFIG KEY PTYPE PREDICATE SUBJECT [BLOBS_DIR]
      The OCI layout of `cosign save --dir OUT_DIR IMAGE` for an image with one legacy
      attestation (cosign attest without --new-bundle-format pushes it as the image tagged
      sha256-<digest>.att; cosign save writes that image with index.json annotation
      kind=dev.cosignproject.cosign/atts, sigstore/cosign pkg/oci/layout/write.go): oci-layout,
      index.json (the image, then the atts image), and blobs/sha256 holding the image's manifest
      and config (and the layers found in BLOBS_DIR by digest), the atts image's manifest, its
      config and its one layer: the DSSE envelope, media type
      application/vnd.dsse.envelope.v1+json, annotated with the predicate type.
  cosign_attest_files.py bundle OUT MANIFEST KEY PTYPE PREDICATE SUBJECT
      The sigstore bundle v0.3 of `cosign attest --key --new-bundle-format --tlog-upload=false`:
      the DSSE envelope and a publicKey hint, no transparency-log entry.

The in-toto Statement is v0.1 (what cosign attest writes) with one subject, SUBJECT at the
sha256 of MANIFEST's bytes; the DSSE signature is ECDSA over the PAE, made by `openssl dgst`.
"""
import base64
import hashlib
import json
import os
import subprocess
import sys

IN_TOTO = "application/vnd.in-toto+json"
DSSE_LAYER = "application/vnd.dsse.envelope.v1+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"


def sha(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def envelope(key, manifest_bytes, ptype, predicate_file, subject):
    statement = json.dumps({
        "_type": "https://in-toto.io/Statement/v0.1",
        "predicateType": ptype,
        "subject": [{"name": subject, "digest": {"sha256": sha(manifest_bytes)[7:]}}],
        "predicate": json.load(open(predicate_file)),
    }, separators=(",", ":")).encode()
    pae = b"DSSEv1 %d %s %d %s" % (len(IN_TOTO), IN_TOTO.encode(), len(statement), statement)
    sig = subprocess.run(["openssl", "dgst", "-sha256", "-sign", key], input=pae,
                         stdout=subprocess.PIPE, check=True).stdout
    return {"payloadType": IN_TOTO, "payload": base64.b64encode(statement).decode(),
            "signatures": [{"keyid": "", "sig": base64.b64encode(sig).decode()}]}


def put(out, data):
    d = sha(data)
    with open(os.path.join(out, "blobs", "sha256", d[7:]), "wb") as f:
        f.write(data)
    return d


def layout(out, manifest_file, config_file, key, ptype, predicate_file, subject, blobs=None):
    manifest = open(manifest_file, "rb").read()
    os.makedirs(os.path.join(out, "blobs", "sha256"), exist_ok=True)
    with open(os.path.join(out, "oci-layout"), "w") as f:
        json.dump({"imageLayoutVersion": "1.0.0"}, f)
    m = json.loads(manifest)
    put(out, open(config_file, "rb").read())
    for layer in m.get("layers", []):
        src = os.path.join(blobs or "", layer["digest"][7:])
        if blobs and os.path.exists(src):
            put(out, open(src, "rb").read())
    env = json.dumps(envelope(key, manifest, ptype, predicate_file, subject),
                     separators=(",", ":")).encode()
    env_digest = put(out, env)
    # The config go-containerregistry's mutate.Append gives cosign's static layers.
    att_config = json.dumps({
        "architecture": "", "created": "0001-01-01T00:00:00Z",
        "history": [{"created": "0001-01-01T00:00:00Z"}], "os": "",
        "rootfs": {"type": "layers", "diff_ids": [env_digest]}, "config": {}},
        separators=(",", ":")).encode()
    att_manifest = json.dumps({
        "schemaVersion": 2, "mediaType": OCI_MANIFEST,
        "config": {"mediaType": OCI_CONFIG, "size": len(att_config), "digest": put(out, att_config)},
        "layers": [{"mediaType": DSSE_LAYER, "size": len(env), "digest": env_digest,
                    "annotations": {"dev.cosignproject.cosign/signature": "",
                                    "predicateType": ptype}}]},
        separators=(",", ":")).encode()
    index = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
             "manifests": [
                 {"mediaType": m.get("mediaType", OCI_MANIFEST), "size": len(manifest),
                  "digest": put(out, manifest),
                  "annotations": {"kind": "dev.cosignproject.cosign/image"}},
                 {"mediaType": OCI_MANIFEST, "size": len(att_manifest),
                  "digest": put(out, att_manifest),
                  "annotations": {"kind": "dev.cosignproject.cosign/atts"}}]}
    with open(os.path.join(out, "index.json"), "w") as f:
        json.dump(index, f)
    print(sha(manifest))


def bundle(out, manifest_file, key, ptype, predicate_file, subject):
    manifest = open(manifest_file, "rb").read()
    der = subprocess.run(["openssl", "pkey", "-in", key, "-pubout", "-outform", "DER"],
                         stdout=subprocess.PIPE, check=True).stdout
    b = {"mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
         "verificationMaterial": {
             "publicKey": {"hint": base64.b64encode(hashlib.sha256(der).digest()).decode()}},
         "dsseEnvelope": envelope(key, manifest, ptype, predicate_file, subject)}
    with open(out, "w") as f:
        json.dump(b, f)
    print(sha(manifest))


if __name__ == "__main__":
    if sys.argv[1] == "layout":
        layout(*sys.argv[2:])
    elif sys.argv[1] == "bundle":
        bundle(*sys.argv[2:])
    else:
        sys.exit("usage: see the docstring")
