// SPDX-License-Identifier: GPL-3.0-or-later
#include "compareview.h"

#include "imagegrid.h"
#include "events/runsink.h"

#include "plotstyle.h"

#include "run/specfields.h"
#include "store/runstore.h"

#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonDocument>
#include <QtCore/QSaveFile>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QGridLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QSplitter>
#include <QtWidgets/QTabWidget>
#include <QtWidgets/QTableWidget>
#include <QtWidgets/QVBoxLayout>

#include <qcustomplot.h>

namespace metaaug::ui {

namespace {

enum class Source { Spec, Result, Option, Summary };

struct CompareRow {
    QString key, label;
    Source source;
    int precision;  // < 0: text
};

// A spec row labelled by core's field table.
CompareRow specRow(const char *key, int precision)
{
    const SpecField *f = findSpecField(QLatin1String(key));
    return {QLatin1String(key), f ? f->field.label.toLower() : QLatin1String(key), Source::Spec, precision};
}

// The fixed rows (spec fields, then every headline metric of core's
// resultMetrics()), then one row per method option any of the runs has.
std::vector<CompareRow> fields(const QVector<RunData> &runs)
{
    std::vector<CompareRow> f{{"status", "status", Source::Spec, -1}, specRow("model", -1), specRow("method", -1),
                         {"bits", "bits", Source::Spec, -1},     specRow("setting", -1), specRow("calib", -1),
                         specRow("calib_size", 0),               specRow("iters", 0),    specRow("batch", 0),
                         specRow("seed", -1)};
    for (const ResultMetric &m : resultMetrics())
        f.push_back({m.key, m.unit.isEmpty() ? m.label : QStringLiteral("%1 (%2)").arg(m.label, m.unit), Source::Result,
                     m.decimals < 0 ? 4 : m.decimals});
    // One row per method option any run has, then per key of the method's
    // summary (MetaAug: warm-up steps, final MSE(T(x), x), T's hash).
    for (const Source source : {Source::Option, Source::Summary}) {
        QStringList keys;
        for (const RunData &r : runs)
            keys << (source == Source::Option ? r.spec.value(QLatin1String("method_options")).toObject()
                                              : r.result ? r.result->methodSummary : QJsonObject{}).keys();
        keys.removeDuplicates();
        keys.sort();
        for (const QString &k : keys)
            f.push_back({k, source == Source::Option ? QStringLiteral("option %1").arg(k) : k, source, source == Source::Option ? 6 : 4});
    }
    return f;
}

QJsonValue fieldValue(const RunData &r, const CompareRow &f)
{
    switch (f.source) {
    case Source::Spec: return r.spec.value(f.key);
    case Source::Result: {
        const std::optional<double> v = r.result ? findResultMetric(f.key)->get(*r.result) : std::nullopt;
        return v ? QJsonValue(*v) : QJsonValue();
    }
    case Source::Option: return r.spec.value(QLatin1String("method_options")).toObject().value(f.key);
    case Source::Summary: return r.result ? r.result->methodSummary.value(f.key) : QJsonValue();
    }
    return {};
}

QString fieldText(const RunData &r, const CompareRow &f)
{
    if (f.key == QLatin1String("status"))
        return QLatin1String(statusName(r.status));
    if (f.key == QLatin1String("bits"))
        return bitsLabel(r.spec);
    const QJsonValue v = fieldValue(r, f);
    if (f.key == QLatin1String("model"))
        return QFileInfo(v.toString()).fileName();
    if (v.isUndefined() || v.isNull())
        return QStringLiteral("–");
    if (v.isDouble())
        return f.source == Source::Option || f.source == Source::Summary ? QString::number(v.toDouble(), 'g', f.precision)
                                          : QString::number(v.toDouble(), 'f', std::max(0, f.precision));
    return v.toVariant().toString();
}

bool numeric(const RunData &r, const CompareRow &f, double *out)
{
    const QJsonValue v = fieldValue(r, f);
    if (f.precision < 0 || !v.isDouble())
        return false;
    *out = v.toDouble();
    return true;
}

QString runLabel(const RunData &r)
{
    return QStringLiteral("#%1 %2 %3").arg(r.runId).arg(r.spec.value(QLatin1String("method")).toString(), bitsLabel(r.spec));
}

// A numeric delta cell. A headline metric's change is judged by the
// metric's direction (core's ResultMetric::verdict): "+0.40 worse" in red,
// "-40.5 better" in green, "0.00 same"; in words as well as colour. Other
// numbers (options, the method's summary) have no direction: the delta alone.
void setDelta(QTableWidgetItem *it, const CompareRow &f, double delta)
{
    const ResultMetric *m = f.source == Source::Result ? findResultMetric(f.key) : nullptr;
    if (!m) {
        const QString n = f.source == Source::Option || f.source == Source::Summary ? QString::number(delta, 'g', f.precision)
                                                                                    : QString::number(delta, 'f', std::max(0, f.precision));
        it->setText(delta > 0 ? QLatin1Char('+') + n : n);
        return;
    }
    const Verdict verdict = m->verdict(delta);
    const QString name = verdictName(verdict);
    it->setText(name.isEmpty() ? m->formatDelta(delta) : QStringLiteral("%1 %2").arg(m->formatDelta(delta), name));
    it->setData(Qt::UserRole, name);
    if (verdict == Verdict::Better || verdict == Verdict::Worse)
        it->setForeground(verdict == Verdict::Better ? QColor(0, 120, 0) : QColor(170, 0, 0));
    it->setToolTip(m->better == 0 ? QObject::tr("%1 has no better direction").arg(m->label)
                                  : QObject::tr("%1 is better %2").arg(m->label, m->better > 0 ? QObject::tr("higher") : QObject::tr("lower")));
}

QString csvQuote(QString s)
{
    if (s.contains(QLatin1Char(',')) || s.contains(QLatin1Char('"')) || s.contains(QLatin1Char('\n')))
        s = QLatin1Char('"') + s.replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"');
    return s;
}

}  // namespace

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
    auto *l = new QVBoxLayout(this);
    l->addWidget(split);
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
    fillTable();
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

void CompareView::fillTable()
{
    // Columns: field | first run | each later run and its delta to the first
    QStringList headers{tr("Field")};
    for (int i = 0; i < m_runs.size(); ++i) {
        headers << tr("Run %1").arg(runLabel(m_runs[i]));
        if (i > 0)
            headers << tr("Δ #%1 − #%2").arg(m_runs[i].runId).arg(m_runs[0].runId);
    }
    m_table->clear();
    m_table->setColumnCount(int(headers.size()));
    m_table->setHorizontalHeaderLabels(headers);
    const std::vector<CompareRow> rows = fields(m_runs);
    m_table->setRowCount(int(rows.size()));
    int row = 0;
    for (const CompareRow &f : rows) {
        m_table->setItem(row, 0, new QTableWidgetItem(f.label));
        int col = 1;
        double first = 0;
        const bool firstNumeric = !m_runs.isEmpty() && numeric(m_runs[0], f, &first);
        for (int i = 0; i < m_runs.size(); ++i) {
            auto *cell = new QTableWidgetItem(fieldText(m_runs[i], f));
            cell->setToolTip(fieldValue(m_runs[i], f).toVariant().toString());
            m_table->setItem(row, col++, cell);
            if (i == 0)
                continue;
            double v = 0;
            auto *it = new QTableWidgetItem;
            if (firstNumeric && numeric(m_runs[i], f, &v))
                setDelta(it, f, v - first);
            else
                it->setText(fieldText(m_runs[i], f) == fieldText(m_runs[0], f) ? QStringLiteral("=") : QStringLiteral("≠"));
            m_table->setItem(row, col++, it);
        }
        ++row;
    }
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
    QStringList lines;
    QStringList header;
    for (int c = 0; c < m_table->columnCount(); ++c)
        header << csvQuote(m_table->horizontalHeaderItem(c)->text());
    lines << header.join(QLatin1Char(','));
    for (int r = 0; r < m_table->rowCount(); ++r) {
        QStringList cells;
        for (int c = 0; c < m_table->columnCount(); ++c)
            cells << csvQuote(m_table->item(r, c) ? m_table->item(r, c)->text() : QString());
        lines << cells.join(QLatin1Char(','));
    }
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
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
