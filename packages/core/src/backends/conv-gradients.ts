import * as tf from "@tensorflow/tfjs-core";

/**
 * Typed-array convolution gradients (NHWC), for backends that lack them (wasm) or whose version is
 * slow (tfjs-backend-cpu 4.22's Conv2DBackpropFilter runs at ~2 MFLOP/s: 35 s for one conv1d
 * filter gradient of a [16, 256, 64] batch). Each loops once over the output positions with
 * contiguous inner loops over channels and accumulates in float64.
 *
 * Geometry comes from `backend_util.computeConv2DInfo` (the forward convolution's info):
 * input `x` [batch, inHeight, inWidth, inChannels], `dy` [batch, outHeight, outWidth, outChannels].
 */
type ConvInfo = tf.backend_util.Conv2DInfo;

/**
 * dW[fh, fw, ci, co] = Σ_{b, oh, ow} x[b, oh·sh + fh·dh − top, ow·sw + fw·dw − left, ci] · dy[b, oh, ow, co]
 * @param x [batch, inHeight, inWidth, inChannels]
 * @param dy [batch, outHeight, outWidth, outChannels]
 * @returns dW [filterHeight, filterWidth, inChannels, outChannels]
 */
export function conv2dBackpropFilterImpl(x: Float32Array, dy: Float32Array, info: ConvInfo): Float32Array {
  const { batchSize, inHeight, inWidth, inChannels: ci, outHeight, outWidth, outChannels: co } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const { top, left } = info.padInfo;
  const dw = new Float64Array(filterHeight * filterWidth * ci * co);
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        const dyBase = ((b * outHeight + oh) * outWidth + ow) * co;
        for (let fh = 0; fh < filterHeight; fh++) {
          const ih = oh * strideHeight + fh * dilationHeight - top;
          if (ih < 0 || ih >= inHeight) continue;
          for (let fw = 0; fw < filterWidth; fw++) {
            const iw = ow * strideWidth + fw * dilationWidth - left;
            if (iw < 0 || iw >= inWidth) continue;
            const xBase = ((b * inHeight + ih) * inWidth + iw) * ci;
            const wBase = (fh * filterWidth + fw) * ci * co;
            for (let c = 0; c < ci; c++) {
              const xv = x[xBase + c];
              if (xv === 0) continue;
              const w0 = wBase + c * co;
              for (let o = 0; o < co; o++) dw[w0 + o] += xv * dy[dyBase + o];
            }
          }
        }
      }
    }
  }
  return Float32Array.from(dw);
}

/**
 * Depthwise filter gradient: output channel d·m + q reads input channel d.
 * dW[fh, fw, d, q] = Σ_{b, oh, ow} x[b, ih, iw, d] · dy[b, oh, ow, d·m + q]
 * @returns dW [filterHeight, filterWidth, inChannels, channelMultiplier]
 */
export function depthwiseBackpropFilterImpl(x: Float32Array, dy: Float32Array, info: ConvInfo): Float32Array {
  const { batchSize, inHeight, inWidth, inChannels: ci, outHeight, outWidth, outChannels: co } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const { top, left } = info.padInfo;
  const m = co / ci;
  const dw = new Float64Array(filterHeight * filterWidth * co);
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        const dyBase = ((b * outHeight + oh) * outWidth + ow) * co;
        for (let fh = 0; fh < filterHeight; fh++) {
          const ih = oh * strideHeight + fh * dilationHeight - top;
          if (ih < 0 || ih >= inHeight) continue;
          for (let fw = 0; fw < filterWidth; fw++) {
            const iw = ow * strideWidth + fw * dilationWidth - left;
            if (iw < 0 || iw >= inWidth) continue;
            const xBase = ((b * inHeight + ih) * inWidth + iw) * ci;
            const wBase = (fh * filterWidth + fw) * co;
            for (let d = 0; d < ci; d++) {
              const xv = x[xBase + d];
              for (let q = 0; q < m; q++) dw[wBase + d * m + q] += xv * dy[dyBase + d * m + q];
            }
          }
        }
      }
    }
  }
  return Float32Array.from(dw);
}

/**
 * Depthwise input gradient: dx[b, ih, iw, d] = Σ_{oh, ow, fh, fw, q} dy[b, oh, ow, d·m + q] · w[fh, fw, d, q]
 * over the output positions whose window covers (ih, iw).
 * @param w [filterHeight, filterWidth, inChannels, channelMultiplier]
 * @returns dx [batch, inHeight, inWidth, inChannels]
 */
export function depthwiseBackpropInputImpl(dy: Float32Array, w: Float32Array, info: ConvInfo): Float32Array {
  const { batchSize, inHeight, inWidth, inChannels: ci, outHeight, outWidth, outChannels: co } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const { top, left } = info.padInfo;
  const m = co / ci;
  const dx = new Float64Array(batchSize * inHeight * inWidth * ci);
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        const dyBase = ((b * outHeight + oh) * outWidth + ow) * co;
        for (let fh = 0; fh < filterHeight; fh++) {
          const ih = oh * strideHeight + fh * dilationHeight - top;
          if (ih < 0 || ih >= inHeight) continue;
          for (let fw = 0; fw < filterWidth; fw++) {
            const iw = ow * strideWidth + fw * dilationWidth - left;
            if (iw < 0 || iw >= inWidth) continue;
            const xBase = ((b * inHeight + ih) * inWidth + iw) * ci;
            const wBase = (fh * filterWidth + fw) * co;
            for (let d = 0; d < ci; d++) {
              let s = 0;
              for (let q = 0; q < m; q++) s += dy[dyBase + d * m + q] * w[wBase + d * m + q];
              dx[xBase + d] += s;
            }
          }
        }
      }
    }
  }
  return Float32Array.from(dx);
}

type Shape4 = [number, number, number, number];
type Pad = "same" | "valid" | number | tf.backend_util.ExplicitPadding;

/** Attributes of the three kernels, as tfjs-core's gradient functions pass them. */
interface ConvGradAttrs {
  strides: number | [number, number];
  pad: Pad;
  dilations?: number | [number, number];
  dimRoundingMode?: "floor" | "round" | "ceil";
  dataFormat?: "NHWC" | "NCHW";
  filterShape?: Shape4;
  inputShape?: Shape4;
}

/** How a kernel reads its inputs and writes its output on some backend. */
export interface TensorIo {
  read(backend: unknown, t: tf.TensorInfo): Float32Array;
  write(backend: unknown, shape: number[], values: Float32Array): tf.TensorInfo;
}

/**
 * Kernel configs for Conv2DBackpropFilter (NHWC only: callers check `dataFormat`),
 * DepthwiseConv2dNativeBackpropFilter and DepthwiseConv2dNativeBackpropInput on `backendName`.
 */
export function convGradientKernels(backendName: string, io: TensorIo): tf.KernelConfig[] {
  const attrsOf = (a: tf.NamedAttrMap | undefined) => a as unknown as ConvGradAttrs;
  const info = (inShape: Shape4, filterShape: Shape4, a: ConvGradAttrs, depthwise: boolean) =>
    tf.backend_util.computeConv2DInfo(inShape, filterShape, a.strides, a.dilations ?? 1, a.pad, a.dimRoundingMode, depthwise);
  return [
    {
      kernelName: "Conv2DBackpropFilter",
      backendName,
      kernelFunc: ({ inputs, backend, attrs }) => {
        const a = attrsOf(attrs);
        const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
        const ci = info(x.shape as Shape4, a.filterShape as Shape4, a, false);
        return io.write(backend, a.filterShape as Shape4, conv2dBackpropFilterImpl(io.read(backend, x), io.read(backend, dy), ci));
      },
    },
    {
      kernelName: "DepthwiseConv2dNativeBackpropFilter",
      backendName,
      kernelFunc: ({ inputs, backend, attrs }) => {
        const a = attrsOf(attrs);
        const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
        const ci = info(x.shape as Shape4, a.filterShape as Shape4, a, true);
        return io.write(backend, a.filterShape as Shape4, depthwiseBackpropFilterImpl(io.read(backend, x), io.read(backend, dy), ci));
      },
    },
    {
      kernelName: "DepthwiseConv2dNativeBackpropInput",
      backendName,
      kernelFunc: ({ inputs, backend, attrs }) => {
        const a = attrsOf(attrs);
        const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
        const ci = info(a.inputShape as Shape4, filter.shape as Shape4, a, true);
        return io.write(backend, a.inputShape as Shape4, depthwiseBackpropInputImpl(io.read(backend, dy), io.read(backend, filter), ci));
      },
    },
  ];
}

/** The parts of tfjs-backend-cpu's backend used to read and make tensors. */
interface CpuBackend {
  readSync(dataId: object): tf.backend_util.BackendValues;
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: tf.backend_util.BackendValues): tf.TensorInfo;
}

/** tfjs-backend-cpu's own kernels, kept while ours are installed (for `restoreCpuConvGradients`). */
let cpuOriginals: tf.KernelConfig[] | null = null;

/**
 * Replace tfjs-backend-cpu's convolution gradient kernels with the typed-array ones above
 * (~100x faster for conv1d filter gradients; NCHW calls still go to the original kernel).
 * Call once after `@tensorflow/tfjs-backend-cpu` is imported.
 */
export function useFastCpuConvGradients(): void {
  if (cpuOriginals) return;
  const originals: tf.KernelConfig[] = [];
  const kernels = convGradientKernels("cpu", {
    read: (backend, t) => (backend as CpuBackend).readSync(t.dataId) as Float32Array,
    write: (backend, shape, values) => (backend as CpuBackend).makeTensorInfo(shape, "float32", values),
  });
  for (const k of kernels) {
    const original = tf.getKernel(k.kernelName, "cpu");
    if (!original) continue;
    originals.push(original);
    tf.unregisterKernel(k.kernelName, "cpu");
    tf.registerKernel({ ...k, kernelFunc: (args) => (args.attrs?.dataFormat === "NCHW" ? original.kernelFunc(args) : k.kernelFunc(args)) });
  }
  cpuOriginals = originals;
}

/** Put tfjs-backend-cpu's own convolution gradient kernels back (tests compare against them). */
export function restoreCpuConvGradients(): void {
  if (!cpuOriginals) return;
  for (const original of cpuOriginals) {
    tf.unregisterKernel(original.kernelName, "cpu");
    tf.registerKernel(original);
  }
  cpuOriginals = null;
}
