#!/usr/bin/python3
"""A containerd API client that stores a container's spec bytes verbatim, as any client of the
containerd API can (containerd keeps the spec as an opaque protobuf Any and the shim writes its
value to the bundle's config.json unchanged). ctr cannot: it decodes --config into a Go struct.

  containerd_raw_spec.py SOCKET NS create ID IMAGE SNAPSHOT_KEY RUNC_BINARY SPEC_FILE
      a container of runtime io.containerd.runc.v2 with options.BinaryName = RUNC_BINARY (what
      `ctr run --runc-binary` sets), snapshotter overlayfs, and SPEC_FILE's bytes as its spec
  containerd_raw_spec.py SOCKET NS get-spec ID        print the stored spec bytes

Messages are encoded by hand (containerd 1.6 api/services/containers/v1/containers.proto:
Container.id = 1, .image = 3, .runtime = 4 {name = 1, options = 2}, .spec = 5,
.snapshotter = 6, .snapshot_key = 7; CreateContainerRequest.container = 1;
GetContainerResponse.container = 1; google.protobuf.Any.type_url = 1, .value = 2; runtime/v2/runc/
options/oci.proto Options.binary_name = 6), so the test needs only python3-grpcio, no stubs.
"""
import sys

import grpc

SPEC_TYPE = "types.containerd.io/opencontainers/runtime-spec/1/Spec"
RUNC_OPTIONS_TYPE = "containerd.runc.v1.Options"
SERVICE = "/containerd.services.containers.v1.Containers/"


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def field(num, payload):
    if isinstance(payload, str):
        payload = payload.encode()
    return varint(num << 3 | 2) + varint(len(payload)) + payload


def fields(msg):
    """Length-delimited fields of a message as (number, bytes); other wire types skipped."""
    i, out = 0, []
    while i < len(msg):
        key, i = read_varint(msg, i)
        num, wire = key >> 3, key & 7
        if wire == 2:
            n, i = read_varint(msg, i)
            out.append((num, msg[i:i + n]))
            i += n
        elif wire == 0:
            _, i = read_varint(msg, i)
        elif wire == 1:
            i += 8
        elif wire == 5:
            i += 4
        else:
            raise ValueError("unexpected wire type %d" % wire)
    return out


def read_varint(b, i):
    n = shift = 0
    while True:
        c = b[i]
        i += 1
        n |= (c & 0x7F) << shift
        shift += 7
        if not c & 0x80:
            return n, i


def first(msg, num):
    return next(v for k, v in fields(msg) if k == num)


def main():
    sock, ns, cmd, cid = sys.argv[1:5]
    channel = grpc.insecure_channel("unix://" + sock)
    md = [("containerd-namespace", ns)]
    if cmd == "create":
        image, snapshot_key, binary, spec_file = sys.argv[5:9]
        spec = open(spec_file, "rb").read()
        options = field(1, RUNC_OPTIONS_TYPE) + field(2, field(6, binary))
        container = (field(1, cid) + field(3, image)
                     + field(4, field(1, "io.containerd.runc.v2") + field(2, options))
                     + field(5, field(1, SPEC_TYPE) + field(2, spec))
                     + field(6, "overlayfs") + field(7, snapshot_key))
        channel.unary_unary(SERVICE + "Create")(field(1, container), metadata=md, timeout=30)
    elif cmd == "get-spec":
        resp = channel.unary_unary(SERVICE + "Get")(field(1, cid), metadata=md, timeout=30)
        sys.stdout.buffer.write(first(first(first(resp, 1), 5), 2))
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main()
