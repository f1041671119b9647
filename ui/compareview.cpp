// SPDX-License-Identifier: GPL-3.0-or-later
#include "compareview.h"

#include "comparetable.h"
#include "imagegrid.h"
#include "events/runsink.h"

#include "plotstyle.h"

#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QSaveFile>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QFileDialog>
#include <QtWidgets/QGridLayout>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QSplitter>
#include <QtWidgets/QTabWidget>
#include <QtWidgets/QTableWidget>
#include <QtWidgets/QVBoxLayout>

#include <qcustomplot.h>

namespace metaaug::ui {

CompareView::CompareView(QWidget *parent) : QWidget(parent)
{
    m_table = new QTableWidget(this);
    m_table->setObjectName(QStringLiteral("compareTable"));
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_unit = new QComboBox(this);
    m_unit->setObjectName(QStringLiteral("compareUnit"));
    m_unit->setToolTip(tr("Unit whose reconstruction loss curves are overlaid"));
    auto make = [this](const char *name, const QString &title, const QString &x, const QString &y) {
        return makePlot(this, name, title, x, y);
    };
    m_loss = make("compareLoss", tr("Reconstruction loss of the unit"), tr("iteration"), tr("loss"));
    setLogAxis(m_loss->yAxis);
    m_sqnr = make("compareSqnr", tr("Per-layer output SQNR"), QString(), tr("dB"));
    m_sqnr->xAxis->setTickLabelRotation(90);
    m_sqnr->setMinimumHeight(360);
    m_method = make("compareMethod", tr("Method series (dashed: targets)"), tr("warm-up / meta step"), QString());
    setLogAxis(m_method->yAxis);
    m_methodKey = new QComboBox(this);
    m_methodKey->setObjectName(QStringLiteral("compareMethodKey"));
    m_methodKey->setToolTip(tr("Series of the method chart overlaid for every run (MetaAug: t_mse is MSE(T(x), x))"));
    m_images = new QTabWidget(this);
    m_images->setObjectName(QStringLiteral("compareImages"));
    m_gap = make("compareGap", tr("Gap (calibration − test top-1)"), QString(), tr("pt"));
    m_gap->legend->setVisible(false);
    m_gap->xAxis->setTicker(QSharedPointer<QCPAxisTickerText>(new QCPAxisTickerText));

    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_table);
    auto *charts = new QWidget(split);
    auto *grid = new QGridLayout(charts);
    // A chart with its chooser above it.
    auto chosen = [charts](QWidget *chooser, QWidget *chart) {
        auto *box = new QWidget(charts);
        auto *l = new QVBoxLayout(box);
        l->setContentsMargins(0, 0, 0, 0);
        l->addWidget(chooser);
        l->addWidget(chart, 1);
        return box;
    };
    grid->addWidget(chosen(m_unit, m_loss), 0, 0);
    grid->addWidget(m_gap, 1, 0);
    grid->addWidget(m_sqnr, 0, 1, 2, 1);
    grid->addWidget(chosen(m_methodKey, m_method), 0, 2);
    grid->addWidget(m_images, 1, 2);
    grid->setColumnStretch(2, 2);
    grid->setColumnStretch(1, 3);
    grid->setColumnStretch(0, 2);
    split->addWidget(charts);
    split->setStretchFactor(1, 2);
    // The page's own toolbar: the table as CSV, the charts as PNG.
    auto *csv = new QPushButton(tr("Export table as &CSV…"), this);
    csv->setObjectName(QStringLiteral("exportCompareCsv"));
    auto *png = new QPushButton(tr("Export charts as &PNG…"), this);
    png->setObjectName(QStringLiteral("exportComparePng"));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(csv);
    buttons->addWidget(png);
    buttons->addStretch(1);
    auto *l = new QVBoxLayout(this);
    l->addLayout(buttons);
    l->addWidget(split, 1);
    connect(csv, &QPushButton::clicked, this, &CompareView::askExportCsv);
    connect(png, &QPushButton::clicked, this, &CompareView::askExportPngs);
    connect(m_unit, &QComboBox::currentIndexChanged, this, [this] { fillLoss(); });
    connect(m_methodKey, &QComboBox::currentIndexChanged, this, [this] { fillMethod(); });
}


void CompareView::setRuns(QVector<RunData> runs)
{
    m_runs = std::move(runs);
    int units = 0;
    std::map<int, QString> names;
    for (const RunData &r : m_runs) {
        units = std::max(units, r.unitCount);
        names.insert(r.unitNames.begin(), r.unitNames.end());
    }
    m_unit->blockSignals(true);
    m_unit->clear();
    for (int u = 0; u < units; ++u)
        m_unit->addItem(tr("Unit %1 %2").arg(u + 1).arg(names.count(u) ? names.at(u) : QString()), u);
    m_unit->blockSignals(false);
    QStringList keys;
    for (const RunData &r : m_runs)
        for (const auto &[key, pts] : r.metaTerms)
            if (!key.startsWith(QLatin1String(ProgressEvent::kRefPrefix)))
                keys << key;
    keys.removeDuplicates();
    m_methodKey->blockSignals(true);
    m_methodKey->clear();
    m_methodKey->addItems(keys);
    m_methodKey->setCurrentIndex(std::max(0, int(keys.indexOf(QStringLiteral("t_mse")))));
    m_methodKey->blockSignals(false);
    while (m_images->count() > 0)
        delete m_images->widget(0);
    for (const RunData &r : m_runs) {
        if (r.images.isEmpty())
            continue;
        auto *grid = new ImageGrid(m_images);
        grid->setPairs(r.images, r.unitNames);
        m_images->addTab(grid, runLabel(r));
    }
    m_images->setVisible(m_images->count() > 0);
    fillCompareTable(m_table, m_runs);
    fillLoss();
    fillSqnr();
    fillGap();
    fillMethod();
}

void CompareView::fillMethod()
{
    m_method->clearGraphs();
    const QString key = m_methodKey->currentText();
    const QString refPrefix = QLatin1String(ProgressEvent::kRefPrefix);
    for (int i = 0; i < m_runs.size(); ++i)
        for (const auto &[k, pts] : m_runs[i].metaTerms) {
            const bool ref = k.startsWith(refPrefix);
            // The chosen series, and the reference lines when it is the
            // quantity they refer to (MetaAug's eps is a target of t_mse).
            if (k != key && !(ref && key == QLatin1String("t_mse")))
                continue;
            QCPGraph *g = m_method->addGraph();
            QVector<double> x, y;
            for (const QPointF &p : pts) {
                x << p.x();
                y << p.y();
            }
            g->setData(x, y, true);
            g->setPen(QPen(seriesColor(i), ref ? 1.0 : 1.4, ref ? Qt::DashLine : Qt::SolidLine));
            g->setName(ref ? QStringLiteral("%1 %2").arg(runLabel(m_runs[i]), k.mid(refPrefix.size())) : runLabel(m_runs[i]));
        }
    m_method->rescaleAxes();
    m_method->replot();
}

void CompareView::fillLoss()
{
    m_loss->clearGraphs();
    const int unit = m_unit->currentData().toInt();
    for (int i = 0; i < m_runs.size(); ++i) {
        auto it = m_runs[i].reconLoss.find(unit);
        if (it == m_runs[i].reconLoss.end())
            continue;
        QCPGraph *g = m_loss->addGraph();
        QVector<double> x, y;
        for (const QPointF &p : it->second) {
            x << p.x();
            y << p.y();
        }
        g->setData(x, y, true);
        g->setPen(QPen(seriesColor(i), 1.4));
        g->setName(runLabel(m_runs[i]));
    }
    m_loss->rescaleAxes();
    m_loss->replot();
}

void CompareView::fillSqnr()
{
    m_sqnr->clearPlottables();
    // Layer order of the first run that has per-layer results.
    QStringList layers;
    for (const RunData &r : m_runs)
        if (layers.isEmpty())
            for (const auto &[layer, v] : r.layerSqnr)
                layers << layer;
    setCategoryTicks(m_sqnr, layers);
    auto *group = new QCPBarsGroup(m_sqnr);
    const double width = 0.8 / std::max<int>(1, int(m_runs.size()));
    for (int i = 0; i < m_runs.size(); ++i) {
        auto *bars = new QCPBars(m_sqnr->xAxis, m_sqnr->yAxis);
        bars->setName(runLabel(m_runs[i]));
        bars->setPen(Qt::NoPen);
        bars->setBrush(seriesColor(i));
        bars->setWidth(width);
        bars->setBarsGroup(group);
        QVector<double> keys, values;
        for (const auto &[layer, v] : m_runs[i].layerSqnr) {
            const int k = int(layers.indexOf(layer));
            if (k >= 0 && std::isfinite(v)) {
                keys << k;
                values << v;
            }
        }
        bars->setData(keys, values);
    }
    m_sqnr->rescaleAxes();
    m_sqnr->xAxis->setRange(-0.7, std::max<double>(1, layers.size()) - 0.3);
    m_sqnr->replot();
}

void CompareView::fillGap()
{
    m_gap->clearPlottables();
    auto ticker = qSharedPointerCast<QCPAxisTickerText>(m_gap->xAxis->ticker());
    ticker->clear();
    auto *bars = new QCPBars(m_gap->xAxis, m_gap->yAxis);
    bars->setPen(Qt::NoPen);
    bars->setBrush(seriesColor(3));
    QVector<double> keys, values;
    for (int i = 0; i < m_runs.size(); ++i) {
        ticker->addTick(i, runLabel(m_runs[i]));
        if (m_runs[i].result && m_runs[i].result->gap) {
            keys << i;
            values << *m_runs[i].result->gap;
        }
    }
    bars->setData(keys, values);
    m_gap->rescaleAxes();
    m_gap->xAxis->setRange(-0.7, std::max<double>(1, m_runs.size()) - 0.3);
    m_gap->replot();
}

QString CompareView::csv() const
{
    return tableCsv(m_table);
}

bool CompareView::exportCsv(const QString &file, QString *error) const
{
    QSaveFile f(file);  // written to a temporary file, renamed on commit
    if (!f.open(QIODevice::WriteOnly | QIODevice::Text) || f.write(csv().toUtf8()) < 0 || !f.commit()) {
        *error = tr("could not write %1: %2").arg(file, f.errorString());
        return false;
    }
    return true;
}

void CompareView::askExportCsv()
{
    if (m_runs.size() < 2) {
        Q_EMIT errorOccurred(tr("Export"), tr("Compare two or more runs first (Runs tab, select, Compare)."));
        return;
    }
    const QString file = QFileDialog::getSaveFileName(this, tr("Export comparison"), QStringLiteral("comparison.csv"), tr("CSV (*.csv)"));
    QString error;
    if (!file.isEmpty() && !exportCsv(file, &error))
        Q_EMIT errorOccurred(tr("Export failed"), error);
}

void CompareView::askExportPngs()
{
    const QString base = QFileDialog::getSaveFileName(this, tr("Export comparison charts (base name)"), QStringLiteral("comparison"));
    QString error;
    if (!base.isEmpty() && !exportPngs(base, &error))
        Q_EMIT errorOccurred(tr("Export failed"), error);
}

bool CompareView::exportPngs(const QString &base, QString *error) const
{
    for (const auto &[suffix, plot] : {std::pair{"loss", m_loss}, std::pair{"sqnr", m_sqnr}, std::pair{"gap", m_gap},
                                       std::pair{"method", m_method}}) {
        const QString file = QStringLiteral("%1-%2.png").arg(base, QLatin1String(suffix));
        const QString partial = file + QStringLiteral(".partial");
        if (!plot->savePng(partial, 1200, 700) || (QFile::exists(file) && !QFile::remove(file)) || !QFile::rename(partial, file)) {
            QFile::remove(partial);
            *error = tr("could not write %1").arg(file);
            return false;
        }
    }
    return true;
}

}  // namespace metaaug::ui
