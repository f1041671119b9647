// SPDX-License-Identifier: GPL-3.0-or-later
#include "sweeprecords.h"

#include "store/runstore.h"
#include "store/sweepstore.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QJsonDocument>
#include <QtCore/QSaveFile>
#include <QtCore/QTemporaryDir>

#include <algorithm>

namespace metaaug::sweep {

namespace {

QJsonObject recordOf(const store::RunRow &r, const QString &sweepName, int index, const QJsonObject &coords)
{
    return QJsonObject{{"format", QLatin1String(kRecordFormat)},
                       {"sweep", sweepName.isNull() ? QJsonValue() : QJsonValue(sweepName)},
                       {"index", index >= 0 ? QJsonValue(index) : QJsonValue()},
                       {"coords", coords},
                       {"status", QLatin1String(statusName(r.status))},
                       {"error", r.error},
                       {"run", r.id ? QJsonValue(qint64(r.id)) : QJsonValue()},
                       {"created", r.created},
                       {"started", r.started},
                       {"finished", r.finished},
                       {"spec", r.spec},
                       {"identity", r.identity},
                       {"result", r.result}};
}

int indexOf(const QJsonObject &record)
{
    const QJsonValue v = record.value(QLatin1String("index"));
    return v.isDouble() ? v.toInt() : -1;
}

// Grid order where a run has its point, first-seen order otherwise: the
// matrix's rows and columns come in this order.
void sortByGridIndex(std::vector<QJsonObject> &records)
{
    std::stable_sort(records.begin(), records.end(), [](const QJsonObject &a, const QJsonObject &b) { return indexOf(a) < indexOf(b); });
}

Error badRecord(const QString &file, int line, const QString &what)
{
    return makeError(ErrorCode::BadFile, QStringLiteral("%1:%2: %3").arg(file).arg(line).arg(what));
}

}  // namespace

Result<std::vector<QJsonObject>> recordsOfSweep(store::RunStore &db, int64_t sweep)
{
    store::SweepStore sweeps(db);
    auto row = sweeps.sweep(sweep);
    if (!row)
        return row.error();
    auto points = sweeps.points(sweep);
    if (!points)
        return points.error();
    std::vector<QJsonObject> out;
    for (const store::SweepPointRow &p : *points) {
        store::RunRow run;
        if (p.run) {
            auto r = db.run(p.run);
            if (!r)
                return r.error();
            run = *r;
        } else {  // no run (yet): the point's own spec and state
            run.spec = p.spec;
            run.error = p.error;
        }
        // The point's state: a run finished after its point was reclaimed is not the point's.
        run.status = store::pointProcessGone(p) ? RunStatus::Interrupted : p.status;
        if (run.error.isEmpty())
            run.error = p.error;
        out.push_back(recordOf(run, row->name, p.index, p.coords));
    }
    return out;
}

Result<std::vector<QJsonObject>> recordsOfFolder(const QString &folder)
{
    const QFileInfoList files = QDir(folder).entryInfoList({QStringLiteral("*.sqlite")}, QDir::Files, QDir::Name);
    if (files.isEmpty())
        return makeError(ErrorCode::NotFound, QStringLiteral("folder %1 holds no run bundles (*.sqlite)").arg(folder));
    QTemporaryDir scratch;
    if (!scratch.isValid())
        return makeError(ErrorCode::OutOfResources, QStringLiteral("cannot make a temporary folder to read %1: %2").arg(folder, scratch.errorString()));
    std::vector<QJsonObject> out;
    for (const QFileInfo &f : files) {
        // Opening a bundle migrates an older schema and switches it to WAL:
        // read a copy, so that a committed bundle stays byte for byte as it is.
        const QString copy = scratch.filePath(QStringLiteral("bundle.sqlite"));
        QFile::remove(copy);
        if (!QFile::copy(f.filePath(), copy))
            return makeError(ErrorCode::OutOfResources, QStringLiteral("cannot copy the run bundle %1 to %2 to read it").arg(f.filePath(), copy));
        // Errors name the bundle, not its copy.
        auto named = [&](const Error &e) { return makeError(e.code, QString(e.message).replace(copy, f.filePath())); };
        auto bundle = store::RunStore::open(copy);
        if (!bundle)
            return named(bundle.error());
        auto rows = (*bundle)->listRuns();
        if (!rows)
            return named(rows.error());
        for (const store::RunRow &r : *rows) {
            if (r.kind != QLatin1String(store::kQuantizeRun))
                continue;
            // A sweep's bundle has its point: the grid coordinates, arm included.
            auto point = store::SweepStore(**bundle).pointOfRun(r.id);
            if (!point)
                return named(point.error());
            out.push_back(*point ? recordOf(r, (*point)->first.name, (*point)->second.index, (*point)->second.coords)
                                 : recordOf(r, QString(), -1, coordsOfSpec(r.spec)));
        }
    }
    sortByGridIndex(out);
    return out;
}

bool isRecordsFile(const QString &path)
{
    return path.endsWith(QLatin1String(".jsonl"));
}

Result<std::vector<QJsonObject>> readRecords(const QString &file)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::NotFound, QStringLiteral("cannot read the records %1: %2").arg(file, f.errorString()));
    std::vector<QJsonObject> out;
    int line = 0;
    while (!f.atEnd()) {
        const QByteArray text = f.readLine().trimmed();
        ++line;
        if (text.isEmpty())
            continue;
        QJsonParseError pe;
        const QJsonDocument doc = QJsonDocument::fromJson(text, &pe);
        if (!doc.isObject())
            return badRecord(file, line, pe.error != QJsonParseError::NoError ? pe.errorString() : QStringLiteral("not a JSON object"));
        const QJsonObject r = doc.object();
        if (r.value(QLatin1String("format")).toString() != QLatin1String(kRecordFormat))
            return badRecord(file, line, QStringLiteral("\"format\" is '%1', not '%2'").arg(r.value(QLatin1String("format")).toString(),
                                                                                        QLatin1String(kRecordFormat)));
        if (!r.value(QLatin1String("coords")).isObject())
            return badRecord(file, line, QStringLiteral("\"coords\" is missing or not an object"));
        if (!statusFromName(r.value(QLatin1String("status")).toString()))
            return badRecord(file, line, QStringLiteral("\"status\" '%1' is not a run status").arg(r.value(QLatin1String("status")).toString()));
        if (const QJsonValue res = r.value(QLatin1String("result")); !res.isObject())
            return badRecord(file, line, QStringLiteral("\"result\" is missing or not an object"));
        else if (!res.toObject().isEmpty())
            if (auto typed = RunResult::fromJson(res.toObject()); !typed)
                return badRecord(file, line, QStringLiteral("\"result\": ") + typed.error().message);
        out.push_back(r);
    }
    return out;
}

Result<void> writeRecords(const std::vector<QJsonObject> &records, const QString &file)
{
    QSaveFile f(file);
    if (!f.open(QIODevice::WriteOnly))
        return makeError(ErrorCode::OutOfResources, QStringLiteral("cannot write the records %1: %2").arg(file, f.errorString()));
    for (const QJsonObject &r : records) {
        const QByteArray line = QJsonDocument(r).toJson(QJsonDocument::Compact) + '\n';
        if (f.write(line) != line.size())
            return makeError(ErrorCode::OutOfResources, QStringLiteral("cannot write the records %1: %2").arg(file, f.errorString()));
    }
    if (!f.commit())
        return makeError(ErrorCode::OutOfResources, QStringLiteral("cannot write the records %1: %2").arg(file, f.errorString()));
    return {};
}

Result<std::vector<MatrixRun>> matrixRunsOfRecords(const std::vector<QJsonObject> &records)
{
    std::vector<QJsonObject> sorted = records;
    sortByGridIndex(sorted);
    std::vector<MatrixRun> out;
    for (const QJsonObject &r : sorted) {
        MatrixRun m;
        m.coords = r.value(QLatin1String("coords")).toObject();
        m.runId = r.value(QLatin1String("run")).toInteger();
        m.status = statusFromName(r.value(QLatin1String("status")).toString()).value_or(RunStatus::Failed);
        // As matrixRunsOf and a bundle's run give it: a succeeded run's result, when it reads.
        if (const QJsonObject res = r.value(QLatin1String("result")).toObject(); m.status == RunStatus::Succeeded && !res.isEmpty())
            if (auto typed = RunResult::fromJson(res))
                m.result = *typed;
        out.push_back(std::move(m));
    }
    return out;
}

Result<std::vector<MatrixRun>> matrixRunsOfPath(const QString &folderOrRecords)
{
    auto records = isRecordsFile(folderOrRecords) ? readRecords(folderOrRecords) : recordsOfFolder(folderOrRecords);
    if (!records)
        return records.error();
    return matrixRunsOfRecords(*records);
}

}  // namespace metaaug::sweep
