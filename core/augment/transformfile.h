// SPDX-License-Identifier: GPL-3.0-or-later
// MetaAug's transformation network T as a file of our own (".maugt"):
// never a pickle, because a T file from another machine is untrusted input.
//
// Layout (all integers little-endian):
//   8 bytes  magic "MAUGT\0\0\1" (the last byte is the format version)
//   u32      header length H
//   H bytes  UTF-8 JSON header: {"channels", "height", "width", "t_width",
//            "t_depth", "t_output": "residual"|"plain", "payload_sha256",
//            "tensors": [{"name", "shape": [...]}, ...]}
//   payload  the tensors' float32 values, in header order, back to back
// Reading checks every length against the file and the payload's SHA-256.
#pragma once

#include "common/result.h"
#include "unet.h"

#include <QtCore/QByteArray>

namespace metaaug::augment {

// What a T file says about the network it holds.
struct TransformShape {
    int channels = 0;
    int64_t height = 0, width = 0;  // the input size T was built for
    UNetOptions unet;               // width, resolved depth, output
    QString describe() const;       // "1x28x28 input, width 16, depth 3, residual output"
    bool operator==(const TransformShape &o) const;
};

// T's parameters and BatchNorm buffers with its shape; `payloadSha256` out
// is the hash written into the header.
QByteArray writeTransform(UNet &t, const TransformShape &shape, QString *payloadSha256 = nullptr);

// Reads `bytes` (named `source` in messages) into `t`, whose shape is
// `expected`; a T of another shape is refused naming both.
Result<void> readTransform(const QByteArray &bytes, const QString &source, UNet &t, const TransformShape &expected);

// The header alone (for `metaaug runs export-t` and messages).
Result<TransformShape> peekTransformShape(const QByteArray &bytes, const QString &source);

}  // namespace metaaug::augment
