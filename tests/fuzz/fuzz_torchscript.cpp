// SPDX-License-Identifier: GPL-3.0-or-later
// TorchScript importer: bytes -> torch::jit::load -> graph IR -> partition,
// through Model::load with a card given (so no card file is needed), in
// process: the fuzzer is the loader helper's parse without the process around it.
//
// Two modes (libFuzzer builds):
//  - default: libFuzzer's byte mutations on the whole file. The CRC guard
//    refuses almost every one, so this mostly exercises the zip directory.
//  - METAAUG_FUZZ_MODE=crc: a custom mutator that mutates one record (code,
//    pickle, constants or tensor data) and writes the archive again with
//    matching CRCs, so that the mutation reaches LibTorch's compiler and
//    unpickler as a crafted file would. Run it with -fork and
//    -ignore_crashes=1: LibTorch's compiler crashes are known (the sandboxed
//    loader contains them, tests/core/sandbox) and each one would end the run.
#include <caffe2/serialize/inline_container.h>
#include <caffe2/serialize/istream_adapter.h>

#include "model/model.h"
#include "sandbox/modelloader.h"
#include "fuzzinput.h"

#include <random>
#include <sstream>

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    torch::set_num_threads(1);
    metaaug::sandbox::setDefaultIsolation(metaaug::sandbox::LoadIsolation::InProcess);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace metaaug;
    ModelLoadOptions options;
    options.card = ModelCard{};
    const auto model = Model::load(fuzz::writeInput(data, size, QStringLiteral("input.pt")), options);
    if (!model && model.error().message.isEmpty())
        std::abort();
    return 0;
}

#ifdef METAAUG_LIBFUZZER
extern "C" size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t maxSize);

namespace {

// The archive with one record mutated and every CRC matching, or empty when
// `data` is not an archive LibTorch's reader can list.
std::string mutateOneRecord(const uint8_t *data, size_t size, size_t maxSize, unsigned seed)
{
    std::mt19937 rng(seed);
    std::istringstream in(std::string(reinterpret_cast<const char *>(data), size));
    caffe2::serialize::PyTorchStreamReader reader(std::make_unique<caffe2::serialize::IStreamAdapter>(&in));
    std::vector<std::string> names;
    for (const std::string &name : reader.getAllRecords())
        if (name != "version")
            names.push_back(name);
    if (names.empty())
        return {};
    // Code and pickles three times as often as tensor data: that is where the parsers are.
    std::vector<double> weights;
    for (const std::string &n : names)
        weights.push_back(n.find("data/") == std::string::npos ? 3.0 : 1.0);
    const size_t chosen = std::discrete_distribution<size_t>(weights.begin(), weights.end())(rng);
    std::string out;
    caffe2::serialize::PyTorchStreamWriter writer([&out](const void *p, size_t n) {
        out.append(static_cast<const char *>(p), n);
        return n;
    });
    writer.setMinVersion(reader.version());
    for (size_t i = 0; i < names.size(); ++i) {
        auto [record, n] = reader.getRecord(names[i]);
        if (i != chosen) {
            writer.writeRecord(names[i], record.get(), n);
            continue;
        }
        std::vector<uint8_t> bytes(static_cast<const uint8_t *>(record.get()), static_cast<const uint8_t *>(record.get()) + n);
        bytes.resize(n + 64 + n / 8);
        bytes.resize(LLVMFuzzerMutate(bytes.data(), n, bytes.size()));
        writer.writeRecord(names[i], bytes.data(), bytes.size());
    }
    writer.writeEndOfFile();
    return out.size() <= maxSize ? out : std::string();
}

}  // namespace

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t maxSize, unsigned int seed)
{
    static const bool crcMode = qEnvironmentVariable("METAAUG_FUZZ_MODE") == QLatin1String("crc");
    // One mutation in eight stays a raw byte mutation: the zip directory gets fuzzed too.
    if (!crcMode || seed % 8 == 0)
        return LLVMFuzzerMutate(data, size, maxSize);
    std::string archive;
    try {
        archive = mutateOneRecord(data, size, maxSize, seed);
    } catch (const std::exception &) {
        archive.clear();
    }
    if (archive.empty())
        return LLVMFuzzerMutate(data, size, maxSize);
    std::memcpy(data, archive.data(), archive.size());
    return archive.size();
}
#endif
