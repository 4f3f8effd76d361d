// The backends the server offers (jobs' `backend` option, GET /v1/backends): cpu is built into
// core; importing each package registers it. Imported by the app and by every pool worker thread.
import "@causeway/backend-wasm";
import "@causeway/backend-webgpu";
import "@causeway/backend-cuda";
