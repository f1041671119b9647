// SPDX-License-Identifier: GPL-3.0-or-later
#include "sweepsview.h"

#include "storeclient.h"

#include "store/sweepstore.h"

#include <QtCore/QTimer>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QTableWidget>
#include <QtWidgets/QVBoxLayout>

namespace metaaug::ui {

namespace {

constexpr int kLiveReloadMs = 2000;
const QString kNone = QStringLiteral("(none)");

struct SweepData {
    store::SweepRow sweep;
    std::vector<sweep::MatrixRun> runs;
};

}  // namespace

SweepsView::SweepsView(QWidget *parent) : QWidget(parent)
{
    m_sweep = new QComboBox(this);
    m_sweep->setObjectName(QStringLiteral("sweepBox"));
    m_rows = new QComboBox(this);
    m_rows->setObjectName(QStringLiteral("sweepRows"));
    m_columns = new QComboBox(this);
    m_columns->setObjectName(QStringLiteral("sweepColumns"));
    m_metric = new QComboBox(this);
    m_metric->setObjectName(QStringLiteral("sweepMetric"));
    for (const ResultMetric &m : resultMetrics())
        m_metric->addItem(m.label, m.key);
    m_metric->setCurrentIndex(m_metric->findData(QStringLiteral("q_top1")));
    auto *reloadButton = new QPushButton(tr("Reload"), this);
    m_status = new QLabel(tr("Sweeps run with `metaaug sweep FILE`; they appear here."), this);
    m_status->setWordWrap(true);
    m_table = new QTableWidget(this);
    m_table->setObjectName(QStringLiteral("sweepMatrix"));
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setToolTip(tr("Mean ± standard deviation over the cell's runs (the seeds), n runs; bold: the column's best. Click a cell "
                           "to compare its runs."));
    m_live = new QTimer(this);
    m_live->setInterval(kLiveReloadMs);

    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Sweep:"), this));
    top->addWidget(m_sweep, 2);
    top->addWidget(new QLabel(tr("Rows:"), this));
    top->addWidget(m_rows, 1);
    top->addWidget(new QLabel(tr("Columns:"), this));
    top->addWidget(m_columns, 1);
    top->addWidget(new QLabel(tr("Metric:"), this));
    top->addWidget(m_metric, 1);
    top->addWidget(reloadButton);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_status);
    layout->addWidget(m_table, 1);

    connect(reloadButton, &QPushButton::clicked, this, &SweepsView::reload);
    connect(m_sweep, &QComboBox::activated, this, [this] { m_wanted = m_sweep->currentData().toLongLong(); loadMatrix(); });
    for (QComboBox *box : {m_rows, m_columns, m_metric})
        connect(box, &QComboBox::activated, this, &SweepsView::draw);
    connect(m_live, &QTimer::timeout, this, &SweepsView::loadMatrix);
    connect(m_table, &QTableWidget::cellClicked, this, [this](int row, int column) {
        if (!m_matrix || row >= int(m_matrix->cells.size()) || column >= int(m_matrix->cells[size_t(row)].size()))
            return;
        QList<qint64> ids;
        for (int64_t id : m_matrix->cells[size_t(row)][size_t(column)].runIds)
            ids << qint64(id);
        if (!ids.isEmpty())
            Q_EMIT compareRequested(ids);
    });
}

void SweepsView::setStore(StoreClient *store)
{
    m_store = store;
    reload();
}

void SweepsView::showSweep(qint64 id)
{
    m_wanted = id;
    reload();
}

void SweepsView::reload()
{
    if (!m_store)
        return;
    using Rows = std::vector<store::SweepRow>;
    m_store->call<Rows>(this, [](store::RunStore &db) { return store::SweepStore(db).listSweeps(); }, [this](const Result<Rows> &rows) {
        if (!rows) {
            Q_EMIT errorOccurred(rows.error().message);
            return;
        }
        const qint64 keep = m_wanted ? m_wanted : m_sweep->currentData().toLongLong();
        m_sweep->clear();
        for (const store::SweepRow &r : *rows)
            m_sweep->addItem(tr("#%1 %2 (%3, %4)").arg(r.id).arg(r.name, r.executor, QLatin1String(statusName(r.status))), qlonglong(r.id));
        const int at = m_sweep->findData(qlonglong(keep));
        m_sweep->setCurrentIndex(at >= 0 ? at : m_sweep->count() - 1);
        if (m_sweep->count())
            loadMatrix();
    });
}

void SweepsView::loadMatrix()
{
    const qint64 id = m_sweep->currentData().toLongLong();
    if (!m_store || id <= 0)
        return;
    m_store->call<SweepData>(
        this,
        [id](store::RunStore &db) -> Result<SweepData> {
            store::SweepStore sweeps(db);
            auto row = sweeps.sweep(id);
            if (!row)
                return row.error();
            auto points = sweeps.points(id);
            if (!points)
                return points.error();
            return SweepData{*row, sweep::matrixRunsOf(db, *points)};
        },
        [this, id](const Result<SweepData> &d) {
            if (!d) {
                Q_EMIT errorOccurred(d.error().message);
                return;
            }
            if (id != m_sweep->currentData().toLongLong())
                return;  // another sweep was chosen meanwhile
            m_runs = d->runs;
            int done = 0;
            for (const sweep::MatrixRun &r : m_runs)
                done += r.result ? 1 : 0;
            const bool running = d->sweep.status == RunStatus::Running || d->sweep.status == RunStatus::Queued;
            m_status->setText(tr("Sweep %1 '%2' on %3: %4; %5 of %6 points have a result%7.")
                                  .arg(id).arg(d->sweep.name, d->sweep.executor, QLatin1String(statusName(d->sweep.status)))
                                  .arg(done).arg(m_runs.size())
                                  .arg(running ? tr(" (reloading every %1 s)").arg(kLiveReloadMs / 1000) : QString()));
            if (running)
                m_live->start();
            else
                m_live->stop();
            // Axis choices: the sweep's varying axes; keep the user's choice when it still applies.
            const QStringList axes = sweep::varyingAxes(m_runs);
            if (axes != m_axes) {
                m_axes = axes;
                QStringList choices = axes;
                choices.removeAll(QStringLiteral("seed"));
                for (QComboBox *box : {m_rows, m_columns}) {
                    box->clear();
                    box->addItem(kNone);
                    box->addItems(choices);
                }
                if (choices.size() >= 1)
                    m_columns->setCurrentText(choices.last());
                if (choices.size() >= 2)
                    m_rows->setCurrentText(choices.first());
            }
            draw();
        });
}

void SweepsView::draw()
{
    auto axis = [](QComboBox *box) { return box->currentText() == kNone || box->currentText().isEmpty() ? QStringList() : QStringList{box->currentText()}; };
    QStringList rows = axis(m_rows), columns = axis(m_columns);
    if (rows.isEmpty() && columns.isEmpty())
        rows << QStringLiteral("seed");
    auto m = sweep::buildMatrix(m_runs, rows, columns, m_metric->currentData().toString());
    if (!m) {
        m_status->setText(m.error().message);
        return;
    }
    m_matrix = *m;
    m_table->clear();
    m_table->setRowCount(int(m->rowLabels.size()));
    m_table->setColumnCount(int(m->columnLabels.size()));
    m_table->setHorizontalHeaderLabels(m->columnLabels);
    m_table->setVerticalHeaderLabels(m->rowLabels);
    for (size_t i = 0; i < m->cells.size(); ++i)
        for (size_t j = 0; j < m->cells[i].size(); ++j) {
            const sweep::MatrixCell &c = m->cells[i][j];
            const QString text = m->cellText(i, j);
            auto *item = new QTableWidgetItem(text);
            QFont f = item->font();
            f.setBold(c.best);
            item->setFont(f);
            item->setTextAlignment(Qt::AlignCenter);
            m_table->setItem(int(i), int(j), item);
        }
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    if (!m->pooled.isEmpty())
        m_status->setText(m_status->text() + QLatin1Char(' ') + tr("Pooled in each cell: %1.").arg(m->pooled.join(QStringLiteral(", "))));
    Q_EMIT matrixShown();
}

}  // namespace metaaug::ui
