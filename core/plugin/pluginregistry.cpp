// SPDX-License-Identifier: GPL-3.0-or-later
#include "pluginregistry.h"

#include "importer.h"

#include "graph/scriptarchive.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>
#include <QtCore/QLibrary>
#include <QtCore/QPluginLoader>

namespace metaaug::exporting {

PluginRegistry &PluginRegistry::instance()
{
    static PluginRegistry registry;
    return registry;
}

namespace {
// The built-in importer: TorchScript, for its suffixes and for any file no
// plugin claims (a TorchScript archive may be named anything).
class TorchScriptImporter final : public ModelImporter {
public:
    QString id() const override { return QStringLiteral("torchscript"); }
    QStringList suffixes() const override { return {QStringLiteral("pt"), QStringLiteral("pth"), QStringLiteral("ts")}; }
    Result<graph::Graph> importBytes(const QByteArray &bytes, const QString &path,
                                     const graph::ImportOptions &options) const override
    {
        auto module = graph::loadScriptArchiveBytes(bytes, path);
        if (!module)
            return module.error();
        return graph::importTorchScriptModule(*module, path, options);
    }
};
}  // namespace

PluginRegistry::PluginRegistry()
{
    static const TorchScriptImporter torchScript;
    m_importers.push_back(&torchScript);
    const QString env = qEnvironmentVariable("METAAUG_PLUGIN_DIR");
    for (const QString &d : env.split(QLatin1Char(':'), Qt::SkipEmptyParts))
        m_dirs << d;
    if (QCoreApplication::instance())
        m_dirs << QDir(QCoreApplication::applicationDirPath()).absoluteFilePath(QStringLiteral("../" METAAUG_PLUGIN_SUBDIR));
    for (const QString &d : QStringList(m_dirs))
        loadDirectory(d);
}

void PluginRegistry::registerBuiltin(std::shared_ptr<Exporter> exporter)
{
    if (!exporter || this->exporter(exporter->id()))
        return;
    m_exporters.push_back(exporter.get());
    m_builtins.push_back(std::move(exporter));
}

namespace {
// Adds the plugin instance to `list` when it implements T with the id its
// metadata announced; otherwise returns why not.
template <typename T>
QString adopt(QObject *instance, const QString &id, const char *what, std::vector<const T *> &list)
{
    auto *p = qobject_cast<T *>(instance);
    if (!p)
        return QStringLiteral("does not implement the %1 interface").arg(QLatin1String(what));
    if (p->id() != id)
        return QStringLiteral("metadata id %1 differs from the plugin's id %2").arg(id, p->id());
    list.push_back(p);
    return {};
}
}  // namespace

void PluginRegistry::loadDirectory(const QString &dir)
{
    const QDir d(dir);
    if (!d.exists())
        return;
    for (const QFileInfo &f : d.entryInfoList(QDir::Files, QDir::Name)) {
        if (!QLibrary::isLibrary(f.fileName()))
            continue;
        QPluginLoader loader(f.absoluteFilePath());
        const QJsonObject meta = loader.metaData();
        auto fail = [&](const QString &reason) { m_failures.push_back({f.absoluteFilePath(), reason}); };
        if (meta.isEmpty()) {
            fail(QStringLiteral("not a Qt plugin: %1").arg(loader.errorString()));
            continue;
        }
        const QString iid = meta.value(QLatin1String("IID")).toString();
        if (iid != QLatin1String(METAAUG_EXPORTER_IID) && iid != QLatin1String(METAAUG_IMPORTER_IID)) {
            fail(QStringLiteral("interface %1, this program takes %2 or %3")
                     .arg(iid, QLatin1String(METAAUG_EXPORTER_IID), QLatin1String(METAAUG_IMPORTER_IID)));
            continue;
        }
        const bool isExporter = iid == QLatin1String(METAAUG_EXPORTER_IID);
        const QString id = meta.value(QLatin1String("MetaData")).toObject().value(QLatin1String("id")).toString();
        const bool taken = isExporter ? exporter(id) != nullptr
                                      : std::any_of(m_importers.begin(), m_importers.end(), [&](auto *i) { return i->id() == id; });
        if (id.isEmpty() || taken) {
            fail(id.isEmpty() ? QStringLiteral("its metadata has no id") : QStringLiteral("format %1 is already provided").arg(id));
            continue;
        }
        QObject *instance = loader.instance();  // the loader keeps the library loaded
        if (!instance) {
            fail(loader.errorString());
            continue;
        }
        const QString why = isExporter ? adopt<Exporter>(instance, id, "exporter", m_exporters)
                                       : adopt<ModelImporter>(instance, id, "importer", m_importers);
        if (!why.isEmpty())
            fail(why);
    }
}

std::vector<const Exporter *> PluginRegistry::exporters() const
{
    std::vector<const Exporter *> out = m_exporters;
    std::sort(out.begin(), out.end(), [](const Exporter *a, const Exporter *b) { return a->id() < b->id(); });
    return out;
}

const Exporter *PluginRegistry::exporter(const QString &id) const
{
    for (const Exporter *e : m_exporters)
        if (e->id() == id)
            return e;
    return nullptr;
}

const ModelImporter *PluginRegistry::importerFor(const QString &path) const
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    for (const ModelImporter *i : m_importers)
        if (i->suffixes().contains(suffix))
            return i;
    return m_importers.front();  // TorchScript
}

QStringList PluginRegistry::exporterIds() const
{
    QStringList ids;
    for (const Exporter *e : exporters())
        ids << e->id();
    return ids;
}

}  // namespace metaaug::exporting
