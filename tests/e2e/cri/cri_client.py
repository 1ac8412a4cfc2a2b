#!/usr/bin/python3
"""A small CRI client for the end-to-end tests: what the kubelet sends, one RPC or one pod step
per command, over containerd's CRI socket (runtime.v1, the subset in cri_subset.proto).

The stubs are generated at test time (python3 -m grpc_tools.protoc, see cri_containerd.sh)
into STUBS_DIR, given with --stubs. Every pod is host-networked (no CNI) and its config is
rebuilt from its name, so CreateContainer gets the very PodSandboxConfig RunPodSandbox got.

Output: the id or the answer on stdout; an RPC failure prints
"<Rpc>: rpc error: code = <code> desc = <message>" (as crictl does) on stderr and exits 1.
"""
import argparse
import importlib
import sys
import time


def load_stubs(stubs_dir):
    sys.path.insert(0, stubs_dir)
    return importlib.import_module("cri_subset_pb2"), importlib.import_module("cri_subset_pb2_grpc")


class Client:
    def __init__(self, socket, stubs_dir, timeout):
        import grpc  # Debian's python3-grpcio

        self.grpc = grpc
        self.pb, pb_grpc = load_stubs(stubs_dir)
        channel = grpc.insecure_channel("unix://" + socket)
        self.runtime = pb_grpc.RuntimeServiceStub(channel)
        self.images = pb_grpc.ImageServiceStub(channel)
        self.timeout = timeout

    def call(self, service, rpc, request):
        try:
            return getattr(service, rpc)(request, timeout=self.timeout)
        except self.grpc.RpcError as e:
            print(f"{rpc}: rpc error: code = {e.code().name} desc = {e.details()}", file=sys.stderr)
            sys.exit(1)

    def pod_config(self, name, log_dir):
        pb = self.pb
        # Host network (no CNI): the pod also shares the host's UTS namespace, so no hostname.
        ns = pb.NamespaceOption(network=pb.NODE, pid=pb.CONTAINER, ipc=pb.POD)
        return pb.PodSandboxConfig(
            metadata=pb.PodSandboxMetadata(name=name, uid="uid-" + name, namespace="e2e"),
            log_directory=log_dir,
            labels={"e2e-pod": name},
            linux=pb.LinuxPodSandboxConfig(
                security_context=pb.LinuxSandboxSecurityContext(namespace_options=ns)),
        )


def kv_pairs(items):
    out = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep:
            sys.exit(f"expected KEY=VALUE, got {item!r}")
        out[key] = value
    return out


def cmd_version(c, a):
    r = c.call(c.runtime, "Version", c.pb.VersionRequest(version="v1"))
    print(f"{r.runtime_name} {r.runtime_version} {r.runtime_api_version}")


def cmd_image_id(c, a):
    r = c.call(c.images, "ImageStatus", c.pb.ImageStatusRequest(image=c.pb.ImageSpec(image=a.image)))
    if not r.image.id:
        print(f"ImageStatus: no image {a.image}", file=sys.stderr)
        sys.exit(1)
    print(r.image.id)


def cmd_run_pod(c, a):
    req = c.pb.RunPodSandboxRequest(config=c.pod_config(a.name, a.log_dir),
                                    runtime_handler=a.handler)
    print(c.call(c.runtime, "RunPodSandbox", req).pod_sandbox_id)


def cmd_run_container(c, a):
    """CreateContainer then StartContainer (the kubelet's two steps); prints the id after each."""
    pb = c.pb
    config = pb.ContainerConfig(
        metadata=pb.ContainerMetadata(name=a.name),
        image=pb.ImageSpec(image=a.image, annotations=kv_pairs(a.image_annotation)),
        command=a.command,
        envs=[pb.KeyValue(key=k, value=v.encode()) for k, v in kv_pairs(a.env).items()],
        mounts=[pb.Mount(container_path=m.split(":", 1)[1], host_path=m.split(":", 1)[0])
                for m in a.mount or []],
        annotations=kv_pairs(a.annotation),
        log_path=a.name + ".log",
    )
    req = pb.CreateContainerRequest(pod_sandbox_id=a.pod_id, config=config,
                                    sandbox_config=c.pod_config(a.pod, a.log_dir))
    cid = c.call(c.runtime, "CreateContainer", req).container_id
    print(f"created {cid}", flush=True)
    c.call(c.runtime, "StartContainer", pb.StartContainerRequest(container_id=cid))
    print(f"started {cid}")


def cmd_wait_exit(c, a):
    """Waits for the container to exit; prints its exit code (fails after --wait seconds)."""
    deadline = time.monotonic() + a.wait
    while True:
        r = c.call(c.runtime, "ContainerStatus", c.pb.ContainerStatusRequest(container_id=a.id))
        if r.status.state == c.pb.CONTAINER_EXITED:
            print(r.status.exit_code)
            return
        if time.monotonic() > deadline:
            print(f"ContainerStatus: {a.id} still in state {r.status.state}", file=sys.stderr)
            sys.exit(1)
        time.sleep(0.1)


def cmd_pods(c, a):
    for p in c.call(c.runtime, "ListPodSandbox", c.pb.ListPodSandboxRequest()).items:
        print(f"{p.id} {p.metadata.name} {p.runtime_handler or '-'}")


def cmd_remove_pods(c, a):
    """Stops and removes every pod sandbox (and so every container in them)."""
    for p in c.call(c.runtime, "ListPodSandbox", c.pb.ListPodSandboxRequest()).items:
        c.call(c.runtime, "StopPodSandbox", c.pb.StopPodSandboxRequest(pod_sandbox_id=p.id))
        c.call(c.runtime, "RemovePodSandbox", c.pb.RemovePodSandboxRequest(pod_sandbox_id=p.id))
        print(f"removed {p.id} {p.metadata.name}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--socket", required=True, help="containerd's socket (CRI is served there)")
    ap.add_argument("--stubs", required=True, help="directory of the generated cri_subset stubs")
    ap.add_argument("--timeout", type=float, default=30, help="seconds per RPC")
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("version").set_defaults(fn=cmd_version)
    p = sub.add_parser("image-id")
    p.add_argument("image")
    p.set_defaults(fn=cmd_image_id)
    p = sub.add_parser("run-pod")
    p.add_argument("name")
    p.add_argument("--handler", default="", help="RuntimeClass handler ('' = the default)")
    p.add_argument("--log-dir", required=True)
    p.set_defaults(fn=cmd_run_pod)
    p = sub.add_parser("run-container")
    p.add_argument("pod_id")
    p.add_argument("pod", help="the pod's name (its config is rebuilt from it)")
    p.add_argument("name")
    p.add_argument("image", help="ImageSpec.image: a name, or an image ID")
    p.add_argument("command", nargs="+")
    p.add_argument("--log-dir", required=True)
    p.add_argument("--mount", action="append", help="HOST:CONTAINER")
    p.add_argument("--env", action="append", help="KEY=VALUE")
    p.add_argument("--annotation", action="append", help="container annotation KEY=VALUE")
    p.add_argument("--image-annotation", action="append", help="ImageSpec annotation KEY=VALUE")
    p.set_defaults(fn=cmd_run_container)
    p = sub.add_parser("wait-exit")
    p.add_argument("id")
    p.add_argument("--wait", type=float, default=20)
    p.set_defaults(fn=cmd_wait_exit)
    sub.add_parser("pods").set_defaults(fn=cmd_pods)
    sub.add_parser("remove-pods").set_defaults(fn=cmd_remove_pods)
    a = ap.parse_args()
    a.fn(Client(a.socket, a.stubs, a.timeout), a)


if __name__ == "__main__":
    main()
