// SPDX-License-Identifier: GPL-3.0-or-later
#include "analysispanel.h"

#include "async.h"
#include "biteditor.h"
#include "frontchart.h"
#include "sensitivitychart.h"

#include <QtCore/QPointer>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QProgressBar>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QSpinBox>
#include <QtWidgets/QSplitter>
#include <QtWidgets/QVBoxLayout>

namespace metaaug::ui {

AnalysisPanel::AnalysisPanel(QWidget *parent) : QWidget(parent)
{
    const SensitivitySettings defaults;
    m_run = new QPushButton(tr("&Analyse sensitivity"), this);
    m_run->setObjectName(QStringLiteral("analyseButton"));
    m_run->setToolTip(tr("Quantize each layer's weight, and each layer input, alone with RTN at every candidate bit-width, the rest "
                         "FP, and measure the output's KL to FP on held-out calibration images. Uses the model, data, seed and "
                         "threads of the run setup; kept in the runs list as a sensitivity run."));
    m_stop = new QPushButton(tr("Stop"), this);
    m_stop->setEnabled(false);
    m_images = new QSpinBox(this);
    m_images->setRange(0, 100000);
    m_images->setSpecialValueText(tr("auto"));  // 0: as many as the compute budget allows
    m_images->setValue(int(defaults.images));
    m_images->setToolTip(tr("Calibration images the effects are measured on; auto: as many as a compute budget allows, "
                            "%1 to %2").arg(kSensitivityImagesMin).arg(kSensitivityImagesMax));
    m_fitImages = new QSpinBox(this);
    m_fitImages->setRange(1, 100000);
    m_fitImages->setValue(int(defaults.fitImages));
    m_fitImages->setToolTip(tr("Other calibration images the activation grids are fitted on"));
    m_progress = new QProgressBar(this);
    m_progress->setVisible(false);
    m_status = new QLabel(tr("Analyse the open model to see which layers hurt when quantized, and where bits pay."), this);
    m_status->setObjectName(QStringLiteral("analysisStatus"));
    m_status->setWordWrap(true);
    auto *top = new QHBoxLayout;
    top->addWidget(m_run);
    top->addWidget(m_stop);
    top->addWidget(new QLabel(tr("measure on"), this));
    top->addWidget(m_images);
    top->addWidget(new QLabel(tr("images, fit on"), this));
    top->addWidget(m_fitImages);
    top->addWidget(m_progress, 1);

    m_chart = new SensitivityChart(this);
    m_front = new FrontChart(this);
    m_editor = new BitEditor(this);
    m_use = new QPushButton(tr("&Use these bits in the run setup"), this);
    m_use->setObjectName(QStringLiteral("useBitsButton"));
    m_use->setEnabled(false);
    auto *editorBox = new QWidget(this);
    auto *el = new QVBoxLayout(editorBox);
    el->setContentsMargins(0, 0, 0, 0);
    el->addWidget(m_editor, 1);
    el->addWidget(m_use);
    auto *right = new QSplitter(Qt::Vertical, this);
    right->addWidget(m_front);
    right->addWidget(editorBox);
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_chart);
    split->addWidget(right);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_status);
    layout->addWidget(split, 1);

    connect(m_run, &QPushButton::clicked, this, &AnalysisPanel::analyseRequested);
    connect(m_stop, &QPushButton::clicked, this, &AnalysisPanel::cancel);
    connect(m_front, &FrontChart::pointClicked, this, &AnalysisPanel::chooseFrontPoint);
    connect(m_use, &QPushButton::clicked, this, [this] { Q_EMIT bitsChosen(quant::formatLayerBits(m_editor->bits())); });
}

AnalysisPanel::~AnalysisPanel()
{
    cancel();  // the job sees it at its next candidate; its result is dropped (runAsync)
}

void AnalysisPanel::analyse(const QJsonObject &spec, const QString &dbPath)
{
    if (isRunning())
        return;
    SensitivitySettings settings;
    settings.images = m_images->value();
    settings.fitImages = m_fitImages->value();
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    m_cancel = cancel;
    m_run->setEnabled(false);
    m_stop->setEnabled(true);
    m_progress->setRange(0, 0);
    m_progress->setVisible(true);
    m_status->setText(tr("Analysing %1 …").arg(spec.value(QLatin1String("model")).toString()));
    QPointer<AnalysisPanel> self(this);
    runAsync<Result<SensitivityStudy>>(
        this,
        [spec, settings, dbPath, cancel, self]() -> Result<SensitivityStudy> {
            // Like the run worker's recorder, the job records itself as it
            // goes (the run row, its identity, its result) on its own thread
            // and connection: core's runSensitivityJob takes a store of the
            // calling thread, and through StoreClient the job would hold the
            // store's thread, and every read of the browser, for minutes.
            std::unique_ptr<store::RunStore> db;
            if (!dbPath.isEmpty()) {
                auto opened = store::RunStore::open(dbPath);
                if (!opened)
                    return opened.error();
                db = std::move(*opened);
            }
            return runSensitivityJob(spec, settings, db.get(), [cancel, self](int done, int total) {
                QMetaObject::invokeMethod(self.data(), [self, done, total] { if (self) self->onProgress(done, total); },
                                          Qt::QueuedConnection);
                return !cancel->load();
            });
        },
        [this](const Result<SensitivityStudy> &r) { onDone(r); });
}

void AnalysisPanel::cancel()
{
    if (m_cancel)
        m_cancel->store(true);
}

void AnalysisPanel::onProgress(int done, int total)
{
    m_progress->setRange(0, total);
    m_progress->setValue(done);
}

void AnalysisPanel::onDone(const Result<SensitivityStudy> &r)
{
    m_cancel.reset();
    m_run->setEnabled(true);
    m_stop->setEnabled(false);
    m_progress->setVisible(false);
    if (!r) {
        m_status->setText(r.error().code == ErrorCode::Aborted ? tr("Analysis stopped.") : tr("Analysis failed: %1").arg(r.error().message));
        Q_EMIT analysisFinished(false, r.error().code == ErrorCode::Aborted ? QString() : r.error().message);
        return;
    }
    showStudy(*r);
    Q_EMIT analysisFinished(true, r->warnings.join(QLatin1Char('\n')));
}

void AnalysisPanel::showStudy(const SensitivityStudy &study)
{
    m_study = study;
    m_chart->setRecords(study.records);
    std::vector<std::pair<double, double>> points;
    for (const FrontPoint &p : study.front)
        points.emplace_back(p.figures.weightBitsAvg, p.predictedKl);
    m_front->setFront(points);
    m_editor->setLayers(study.layers, study.pinned);
    m_use->setEnabled(true);
    m_status->setText(tr("%1 records in %2 s%3. The front's loss is predicted as a sum of each layer's own effect; runs of this "
                         "model add their measured top-1 to it.")
                          .arg(study.records.size()).arg(study.seconds, 0, 'f', 1)
                          .arg(study.runId ? tr(", kept as run %1").arg(study.runId) : QString()));
}

void AnalysisPanel::chooseFrontPoint(int index)
{
    if (!m_study || index < 0 || index >= int(m_study->front.size()))
        return;
    const FrontPoint &p = m_study->front[size_t(index)];
    m_editor->setBits(p.bits);
    Q_EMIT bitsChosen(quant::formatLayerBits(p.bits));
}

void AnalysisPanel::noteRun(const RunResult &result)
{
    if (!m_study || result.modelSha256 != m_study->modelSha256 || result.layers.empty())
        return;
    // On the front when every layer's weight bits are a front point's.
    for (size_t i = 0; i < m_study->front.size(); ++i) {
        const quant::LayerBitsMap &bits = m_study->front[i].bits;
        bool same = true;
        for (const LayerResult &l : result.layers) {
            auto it = bits.find(l.name);
            same = same && it != bits.end() && it->second.weight == l.wbits;
        }
        if (same) {
            m_front->addMeasured(int(i), m_study->front[i].figures.weightBitsAvg, result.qTop1);
            return;
        }
    }
    if (result.weightBitsAvg)
        m_front->addMeasured(-1, *result.weightBitsAvg, result.qTop1);
}

}  // namespace metaaug::ui
