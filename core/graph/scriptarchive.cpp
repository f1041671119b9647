// SPDX-License-Identifier: GPL-3.0-or-later
#include "scriptarchive.h"

#include <caffe2/serialize/inline_container.h>
#include <caffe2/serialize/read_adapter_interface.h>
#include <torch/csrc/jit/serialization/pickler.h>

#include <QtCore/QFile>
#include <QtCore/QFileInfo>

#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <sstream>

namespace metaaug::graph {

namespace {

using Op = torch::jit::PickleOpCode;

bool endsWith(const std::string &s, const char *suffix)
{
    const size_t n = std::strlen(suffix);
    return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}

uint64_t readLittleEndian(const unsigned char *p, int bytes)
{
    uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; --i)
        v = (v << 8) | p[i];
    return v;
}

uint64_t le(const QByteArray &b, qsizetype at, int bytes)
{
    return readLittleEndian(reinterpret_cast<const unsigned char *>(b.constData()) + at, bytes);
}

// PyTorchStreamReader over the bytes the checks read: the file is read once,
// and LibTorch sees exactly what was checked.
class BytesAdapter final : public caffe2::serialize::ReadAdapterInterface {
public:
    explicit BytesAdapter(QByteArray bytes) : m_bytes(std::move(bytes)) {}
    size_t size() const override { return size_t(m_bytes.size()); }
    size_t read(uint64_t pos, void *buf, size_t n, const char *) const override
    {
        if (pos >= size())
            return 0;
        n = size_t(std::min<uint64_t>(n, size() - pos));
        std::memcpy(buf, m_bytes.constData() + pos, n);
        return n;
    }

private:
    QByteArray m_bytes;
};

}  // namespace

std::map<std::string, ZipEntry> zipDirectory(const QByteArray &zip)
{
    std::map<std::string, ZipEntry> records;
    const uint64_t size = uint64_t(zip.size());
    // `n` bytes at `at` lie inside the file (no overflow for any `at`).
    auto fits = [size](uint64_t at, uint64_t n) { return at <= size && size - at >= n; };
    // End of central directory: 22 bytes plus a comment of up to 64 KiB.
    const qsizetype eocd = zip.lastIndexOf(QByteArrayLiteral("PK\x05\x06"));
    if (eocd < 0 || eocd + 22 > zip.size() || zip.size() - eocd > 22 + 0xFFFF)
        return records;
    uint64_t entries = le(zip, eocd + 10, 2);
    uint64_t offset = le(zip, eocd + 16, 4);
    if (entries == 0xFFFF || offset == 0xFFFFFFFF) {
        // Zip64: the locator just before the EOCD points at the zip64 record.
        const qsizetype locator = eocd - 20;
        if (locator < 0 || le(zip, locator, 4) != 0x07064b50)
            return records;
        const uint64_t record = le(zip, locator + 8, 8);
        if (!fits(record, 56) || le(zip, qsizetype(record), 4) != 0x06064b50)
            return records;
        entries = le(zip, qsizetype(record) + 32, 8);
        offset = le(zip, qsizetype(record) + 48, 8);
    }
    uint64_t pos = offset;
    for (uint64_t i = 0; i < entries; ++i) {
        if (!fits(pos, 46) || le(zip, qsizetype(pos), 4) != 0x02014b50)
            return {};
        const uint64_t nameLength = le(zip, qsizetype(pos) + 28, 2);
        const uint64_t tail = 46 + nameLength + le(zip, qsizetype(pos) + 30, 2) + le(zip, qsizetype(pos) + 32, 2);
        if (!fits(pos, tail))
            return {};
        const uint64_t next = pos + tail;
        std::string name(zip.constData() + pos + 46, nameLength);
        // PyTorchStreamReader names records without the archive's folder.
        name = name.substr(name.find('/') + 1);
        ZipEntry &entry = records[name];
        entry.method = uint16_t(le(zip, qsizetype(pos) + 10, 2));
        entry.crc32 = uint32_t(le(zip, qsizetype(pos) + 16, 4));
        entry.compressedSize = le(zip, qsizetype(pos) + 20, 4);
        entry.size = le(zip, qsizetype(pos) + 24, 4);
        if (entry.compressedSize == 0xFFFFFFFF || entry.size == 0xFFFFFFFF)
            return {};  // zip64 sizes in the extra field: no check (LibTorch still reads the file)
        pos = next;
    }
    return records;
}

QString checkPickle(const char *data, size_t size)
{
    const auto *bytes = reinterpret_cast<const unsigned char *>(data);
    size_t pos = 0;
    // Argument bytes that must follow the opcode at `at`.
    auto need = [&](size_t at, uint64_t n) -> QString {
        if (n > size - at)
            return QStringLiteral("opcode at byte %1 needs %2 bytes, only %3 remain").arg(at).arg(n).arg(size - at);
        return {};
    };
    while (pos < size) {
        const size_t at = pos;
        const auto op = static_cast<Op>(bytes[pos++]);
        QString bad;
        switch (op) {
        case Op::STOP:
            return {};
        // No argument.
        case Op::MARK: case Op::NONE: case Op::NEWTRUE: case Op::NEWFALSE:
        case Op::EMPTY_TUPLE: case Op::TUPLE: case Op::TUPLE1: case Op::TUPLE2: case Op::TUPLE3:
        case Op::EMPTY_LIST: case Op::LIST: case Op::APPEND: case Op::APPENDS:
        case Op::EMPTY_DICT: case Op::DICT: case Op::SETITEM: case Op::SETITEMS:
        case Op::REDUCE: case Op::BUILD: case Op::NEWOBJ: case Op::BINPERSID:
        case Op::POP: case Op::POP_MARK: case Op::DUP: case Op::MEMOIZE:
            break;
        case Op::PROTO: case Op::BININT1: case Op::BINGET: case Op::BINPUT:
            bad = need(pos, 1);
            pos += 1;
            break;
        case Op::BININT2:
            bad = need(pos, 2);
            pos += 2;
            break;
        case Op::BININT:
            bad = need(pos, 4);
            pos += 4;
            break;
        case Op::BINFLOAT: case Op::FRAME:
            bad = need(pos, 8);
            pos += 8;
            break;
        case Op::LONG_BINGET: case Op::LONG_BINPUT: {
            if (!(bad = need(pos, 4)).isEmpty())
                break;
            // Each memo slot is made by an opcode of its own, so an index
            // beyond the record's length cannot be genuine (LibTorch would
            // resize its memo table to it).
            const uint64_t index = readLittleEndian(bytes + pos, 4);
            if (index >= size)
                bad = QStringLiteral("memo index %1 at byte %2 is beyond the record's %3 bytes").arg(index).arg(at).arg(size);
            pos += 4;
            break;
        }
        case Op::SHORT_BINSTRING: case Op::SHORT_BINBYTES: case Op::LONG1:
        case Op::BINUNICODE: case Op::BINBYTES: case Op::BINUNICODE8: case Op::BINBYTES8: {
            const int width = (op == Op::BINUNICODE8 || op == Op::BINBYTES8) ? 8
                              : (op == Op::BINUNICODE || op == Op::BINBYTES) ? 4
                                                                               : 1;
            if (!(bad = need(pos, width)).isEmpty())
                break;
            const uint64_t length = readLittleEndian(bytes + pos, width);
            pos += width;
            if (!(bad = need(pos, length)).isEmpty())
                bad = QStringLiteral("length %1 at byte %2 runs past the record's end (%3 bytes)").arg(length).arg(at).arg(size);
            else
                pos += length;
            break;
        }
        case Op::GLOBAL:
            // Module and name, each ending in a newline.
            for (int line = 0; line < 2 && bad.isEmpty(); ++line) {
                const void *nl = std::memchr(bytes + pos, '\n', size - pos);
                if (!nl)
                    bad = QStringLiteral("GLOBAL at byte %1 has no end").arg(at);
                else
                    pos = static_cast<const unsigned char *>(nl) - bytes + 1;
            }
            break;
        default:
            // Not an opcode we walk over: LibTorch reports it (or reads it)
            // itself; nothing before it was wrong.
            return {};
        }
        if (!bad.isEmpty())
            return bad;
    }
    return {};
}

Result<torch::jit::Module> loadScriptArchive(const QString &path)
{
    if (!QFileInfo(path).isFile())
        return makeError(ErrorCode::NotFound, QStringLiteral("model file %1 does not exist").arg(path));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::NotFound, QStringLiteral("cannot read model file %1: %2").arg(path, file.errorString()));
    return loadScriptArchiveBytes(file.readAll(), path);
}

Result<torch::jit::Module> loadScriptArchiveBytes(const QByteArray &bytes, const QString &path)
{
    auto refuse = [&](const QString &why) {
        return makeError(ErrorCode::BadFile, QStringLiteral("model file %1 is not a loadable TorchScript file: %2").arg(path, why));
    };
    // LibTorch's miniz skips CRC checks, and allocates whatever size the
    // directory claims; a damaged record must reach neither its allocator
    // nor its TorchScript compiler (tests/fuzz/README.md).
    const std::map<std::string, ZipEntry> directory = zipDirectory(bytes);
    // Deflate cannot compress by more than 1032:1.
    constexpr uint64_t kMaxDeflateRatio = 1032;
    for (const auto &[name, entry] : directory) {
        const bool fits = entry.compressedSize <= uint64_t(bytes.size())
                          && (entry.method == 0 ? entry.size == entry.compressedSize
                                                : entry.size / kMaxDeflateRatio <= entry.compressedSize);
        if (!fits)
            return refuse(QStringLiteral("record %1 claims %2 bytes (%3 stored) in a file of %4 bytes")
                              .arg(QString::fromStdString(name))
                              .arg(entry.size)
                              .arg(entry.compressedSize)
                              .arg(bytes.size()));
    }
    try {
        caffe2::serialize::PyTorchStreamReader reader(std::make_shared<BytesAdapter>(bytes));
        std::string copy;
        caffe2::serialize::PyTorchStreamWriter writer([&copy](const void *data, size_t n) {
            copy.append(static_cast<const char *>(data), n);
            return n;
        });
        // The writer adds its own "version" record from this.
        writer.setMinVersion(reader.version());
        for (const std::string &name : reader.getAllRecords()) {
            if (name == "version" || endsWith(name, ".debug_pkl"))
                continue;
            // A record LibTorch lists but our reading of the directory does
            // not know would escape the CRC check (an empty directory is
            // one we do not check: zip64, see zipDirectory).
            const auto entry = directory.find(name);
            if (!directory.empty() && entry == directory.end())
                return refuse(QStringLiteral("record %1 is not in the zip directory as read").arg(QString::fromStdString(name)));
            auto [data, size] = reader.getRecord(name);
            if (entry != directory.end()) {
                const uint32_t actual = uint32_t(crc32_z(0L, static_cast<const Bytef *>(data.get()), size));
                if (actual != entry->second.crc32)
                    return refuse(QStringLiteral("record %1 is damaged (CRC-32 %2, the zip directory says %3)")
                                      .arg(QString::fromStdString(name))
                                      .arg(actual, 8, 16, QLatin1Char('0'))
                                      .arg(entry->second.crc32, 8, 16, QLatin1Char('0')));
            }
            if (endsWith(name, ".pkl")) {
                const QString bad = checkPickle(static_cast<const char *>(data.get()), size);
                if (!bad.isEmpty())
                    return refuse(QStringLiteral("record %1: %2").arg(QString::fromStdString(name), bad));
            }
            writer.writeRecord(name, data.get(), size);
        }
        writer.writeEndOfFile();
        std::istringstream in(std::move(copy));
        torch::jit::Module module = torch::jit::load(in);
        module.eval();
        return module;
    } catch (const std::exception &e) {
        return refuse(exceptionSummary(e));
    }
}

}  // namespace metaaug::graph
