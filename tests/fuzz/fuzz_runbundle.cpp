// SPDX-License-Identifier: GPL-3.0-or-later
// Run-bundle importer: a bundle file (an SQLite database) copied into a run
// store; the store stays intact whatever the bundle holds.
#include "store/runstore.h"
#include "fuzzinput.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace metaaug;
    static std::unique_ptr<store::RunStore> target = [] {
        const QString path = fuzz::scratchDir() + QStringLiteral("/target.sqlite");
        QFile::remove(path);
        auto opened = store::RunStore::open(path);
        if (!opened)
            std::abort();
        return std::move(*opened);
    }();
    const QString bundle = fuzz::writeInput(data, size, QStringLiteral("input.bundle"));
    QFile::remove(bundle + QStringLiteral("-wal"));
    QFile::remove(bundle + QStringLiteral("-shm"));
    QFile::remove(bundle + QStringLiteral("-journal"));
    const auto id = target->importRun(bundle);
    if (id) {
        if (!target->run(*id) || !target->deleteRun(*id))
            std::abort();
    } else if (id.error().message.isEmpty()) {
        std::abort();
    }
    return 0;
}
