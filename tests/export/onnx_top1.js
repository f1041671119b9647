// Top-1 of an ONNX classifier on the Fashion-MNIST test set in ONNX Runtime
// (npm onnxruntime-node, CPU). Usage:
//   node onnx_top1.js MODEL.onnx IDX_DIR SCALE MEAN STD
// Prints {"top1": percent, "n": images} on stdout.
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const ort = require('onnxruntime-node');

function idx(file) {
  const raw = zlib.gunzipSync(fs.readFileSync(file));
  const ndim = raw[3];
  const dims = [];
  for (let i = 0; i < ndim; ++i) dims.push(raw.readUInt32BE(4 + 4 * i));
  return { dims, data: raw.subarray(4 + 4 * ndim) };
}

async function main() {
  const [model, dir, scale, mean, std] = process.argv.slice(2);
  const images = idx(path.join(dir, 't10k-images-idx3-ubyte.gz'));
  const labels = idx(path.join(dir, 't10k-labels-idx1-ubyte.gz')).data;
  const [n, h, w] = images.dims;
  const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1 });
  const batch = 500;
  let correct = 0;
  for (let start = 0; start < n; start += batch) {
    const b = Math.min(batch, n - start);
    const x = new Float32Array(b * h * w);
    for (let i = 0; i < b * h * w; ++i)
      x[i] = (images.data[start * h * w + i] * Number(scale) - Number(mean)) / Number(std);
    const out = await session.run({ input: new ort.Tensor('float32', x, [b, 1, h, w]) });
    const logits = out.logits.data;
    const classes = logits.length / b;
    for (let i = 0; i < b; ++i) {
      let best = 0;
      for (let c = 1; c < classes; ++c) if (logits[i * classes + c] > logits[i * classes + best]) best = c;
      if (best === labels[start + i]) ++correct;
    }
  }
  console.log(JSON.stringify({ top1: 100 * correct / n, n }));
}

main().catch((e) => { console.error(String(e)); process.exit(1); });
