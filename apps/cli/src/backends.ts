// The backends the CLI offers: cpu is built into core; importing each package registers it.
import "@causeway/backend-wasm";
import "@causeway/backend-webgpu";
import "@causeway/backend-cuda";
