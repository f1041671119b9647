// SPDX-License-Identifier: GPL-3.0-or-later
// Loading TorchScript archives (.pt zip files) that someone else wrote.
//
// torch::jit::load trusts its input in two places where LibTorch 1.13 fails
// hard instead of throwing (found by tests/fuzz, fuzz_torchscript):
//  - a damaged debug_pkl record (source ranges, used only for messages) is
//    unpickled lazily on error paths and ends in a null dereference or
//    `free(): invalid pointer`;
//  - pickle memo indices and lengths are taken as given, so four damaged
//    bytes become a 28 GB allocation (std::bad_alloc; an abort under ASan).
//  - records are not CRC-checked (its miniz has the checks off), so a damaged
//    code record reaches the TorchScript compiler, which can segfault on it.
// loadScriptArchive therefore reads the archive with PyTorchStreamReader,
// checks every record's size and CRC-32 against the zip directory (a
// damaged size made LibTorch allocate what it says, 2 GB) and its pickles
// (every length and memo index must fit inside its record), and loads an
// in-memory copy without the debug_pkl records.
#pragma once

#include "common/result.h"

#include <torch/script.h>

#include <QtCore/QByteArray>
#include <QtCore/QString>

#include <map>
#include <string>

namespace metaaug::graph {

// Loads `path` as described above, in eval mode. Errors are BadFile (or
// NotFound) and name the file and, for a bad pickle, the record and offset.
Result<torch::jit::Module> loadScriptArchive(const QString &path);
// The same on the file's bytes, already read (the loader helper reads the
// file before its system-call filter goes on); `path` names it in messages.
Result<torch::jit::Module> loadScriptArchiveBytes(const QByteArray &bytes, const QString &path);

// The pickle check alone, on one record's bytes: empty when the walk found
// nothing wrong, else what is wrong and where. Stops at STOP or at the first
// opcode it does not know (LibTorch reports those itself). Exposed for tests.
QString checkPickle(const char *data, size_t size);

// One record of a zip's central directory.
struct ZipEntry {
    uint32_t crc32 = 0;
    uint64_t compressedSize = 0;
    uint64_t size = 0;  // uncompressed
    uint16_t method = 0;  // 0 stored, 8 deflated
};

// Every record of a zip's central directory (zip64 too), keyed by the name
// PyTorchStreamReader uses (without the archive's folder); empty when the
// directory cannot be read. Exposed for tests.
std::map<std::string, ZipEntry> zipDirectory(const QByteArray &zip);

}  // namespace metaaug::graph
