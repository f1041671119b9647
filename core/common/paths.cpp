// SPDX-License-Identifier: GPL-3.0-or-later
#include "paths.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QDir>
#include <QtCore/QFileInfo>

namespace metaaug {

namespace {
QString envPath(const char *name)
{
    const QByteArray v = qgetenv(name);
    return v.isEmpty() ? QString() : QString::fromLocal8Bit(v);
}

// Directory of the running executable without requiring a QCoreApplication.
QString executableDir()
{
    if (QCoreApplication::instance())
        return QCoreApplication::applicationDirPath();
    return QFileInfo(QFile::symLinkTarget(QStringLiteral("/proc/self/exe"))).absolutePath();
}
}  // namespace

QString shareDir()
{
    const QString env = envPath("METAAUG_SHARE_DIR");
    if (!env.isEmpty())
        return env;
    return QDir::cleanPath(executableDir() + QStringLiteral("/../share/metaaug-workbench"));
}

QString modelsDir()
{
    const QString env = envPath("METAAUG_MODELS_DIR");
    return env.isEmpty() ? shareDir() + QStringLiteral("/models") : env;
}

QString fashionMnistDir()
{
    const QString env = envPath("METAAUG_FASHION_MNIST_DIR");
    return env.isEmpty() ? QStringLiteral("/usr/share/datasets/fashion-mnist") : env;
}

QString defaultModelPath()
{
    return modelsDir() + QStringLiteral("/resnet20_fmnist.pt");
}

QString loaderProgram()
{
    const QString env = envPath("METAAUG_LOADER");
    if (!env.isEmpty())
        return env;
    return QDir::cleanPath(executableDir() + QStringLiteral("/../libexec/metaaug-workbench/metaaug-loader"));
}

}  // namespace metaaug
