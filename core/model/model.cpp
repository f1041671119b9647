#include "model.h"

#include "modelfile.h"

#include "export/importer.h"
#include "export/pluginregistry.h"


namespace metaaug {

Result<Model> Model::load(const QString &path, const ModelLoadOptions &options)
{
    auto file = openModelFile(path, options.card);
    if (!file)
        return file.error();
    Model m;
    m.m_path = file->path;
    m.m_sha256 = file->sha256;
    m.m_card = file->card;
    // Another format when an importer plugin claims the suffix (.onnx), else TorchScript.
    const exporting::ModelImporter *importer = exporting::PluginRegistry::instance().importerFor(path);
    auto g = importer ? importer->importFile(path, options.import) : graph::importTorchScriptFile(path, options.import);
    if (!g)
        return g.error();
    try {
        auto shared = std::make_shared<const graph::Graph>(std::move(g).value());
        m.m_partition = graph::partition(*shared, options.partition);
        m.m_executor = std::make_shared<const graph::Executor>(shared);
        m.m_graph = std::move(shared);
    } catch (const std::exception &e) {
        return makeError(ErrorCode::Unsupported, QStringLiteral("%1: %2").arg(path, QString::fromUtf8(e.what())));
    }
    return m;
}

Result<torch::Tensor> Model::forward(const torch::Tensor &input) const
{
    try {
        torch::NoGradGuard ng;
        return m_executor->run(input);
    } catch (const std::exception &e) {
        return makeError(ErrorCode::BadFile, QStringLiteral("model %1 failed on an input of shape %2: %3")
                                                 .arg(m_path, QString::fromStdString(c10::str(input.sizes())),
                                                      QString::fromUtf8(e.what()).section(QLatin1Char('\n'), 0, 0)));
    }
}

}  // namespace metaaug
