// Stands in for Node-only optional modules (Dawn's `webgpu`, tfjs-node-gpu) in the browser bundle.
throw new Error("this module is only available in Node.js");
