#include "pluginregistry.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QDir>
#include <QtCore/QJsonArray>
#include <QtCore/QLibrary>
#include <QtCore/QPluginLoader>

namespace metaaug::exporting {

PluginRegistry &PluginRegistry::instance()
{
    static PluginRegistry registry;
    return registry;
}

PluginRegistry::PluginRegistry()
{
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
        if (meta.value(QLatin1String("IID")).toString() != QLatin1String(METAAUG_EXPORTER_IID)) {
            fail(QStringLiteral("interface %1, this program needs %2").arg(meta.value(QLatin1String("IID")).toString(),
                                                                          QLatin1String(METAAUG_EXPORTER_IID)));
            continue;
        }
        const QString id = meta.value(QLatin1String("MetaData")).toObject().value(QLatin1String("id")).toString();
        if (id.isEmpty() || exporter(id)) {
            fail(id.isEmpty() ? QStringLiteral("its metadata has no id") : QStringLiteral("format %1 is already provided").arg(id));
            continue;
        }
        QObject *instance = loader.instance();  // the loader keeps the library loaded
        auto *e = qobject_cast<Exporter *>(instance);
        if (!e) {
            fail(instance ? QStringLiteral("does not implement the exporter interface") : loader.errorString());
            continue;
        }
        if (e->id() != id) {
            fail(QStringLiteral("metadata id %1 differs from the plugin's id %2").arg(id, e->id()));
            continue;
        }
        m_exporters.push_back(e);
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

QStringList PluginRegistry::exporterIds() const
{
    QStringList ids;
    for (const Exporter *e : exporters())
        ids << e->id();
    return ids;
}

}  // namespace metaaug::exporting
