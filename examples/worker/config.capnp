# Local workerd configuration for the example: `npx workerd serve examples/worker/config.capnp` after the build.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "embed", worker = .embedWorker)],
  sockets = [(name = "http", address = "127.0.0.1:8787", http = (), service = "embed")],
);

const embedWorker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "dist/worker.js"),
    (name = "embedder.tflite", data = embed "dist/embedder.tflite"),
    (name = "kernels.wasm", wasm = embed "dist/kernels.wasm"),
  ],
  compatibilityDate = "2024-09-23",
);
