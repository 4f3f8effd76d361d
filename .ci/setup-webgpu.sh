#!/usr/bin/env bash
# Placeholder until the webgpu setup lands: nothing to install.
exit 0
