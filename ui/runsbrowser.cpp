// SPDX-License-Identifier: GPL-3.0-or-later
#include "runsbrowser.h"

#include "rundata.h"
#include "storeclient.h"
#include "store/runstore.h"

#include <QtCore/QFileInfo>
#include <QtCore/QSortFilterProxyModel>
#include <QtGui/QStandardItemModel>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QTableView>
#include <QtWidgets/QVBoxLayout>

namespace metaaug::ui {

namespace {
enum Column { Id, Created, Status, Model, Method, Bits, Calib, Iters, Seed, FpTop1, QTop1, Gap, Wall, ColumnCount };
// The result columns FpTop1..Wall, by their key in core's resultMetrics().
const char *const kMetricColumns[] = {"fp_top1", "q_top1", "gap", "wall_s"};

// "Q top-1 (%)" from the metric's own label and unit.
QString metricHeader(const char *key)
{
    const ResultMetric *m = findResultMetric(QLatin1String(key));
    return m->unit.isEmpty() ? m->label : QStringLiteral("%1 (%2)").arg(m->label, m->unit);
}
}

// Rows whose model contains the text and whose method, bits and status
// equal the chosen ones (empty = any).
class RunFilterModel : public QSortFilterProxyModel {
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    QString model, method, bits, status;
    void refilter() { invalidateFilter(); }

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override
    {
        auto text = [&](int col) { return sourceModel()->index(row, col, parent).data().toString(); };
        return (model.isEmpty() || text(Model).contains(model, Qt::CaseInsensitive))
            && (method.isEmpty() || text(Method) == method) && (bits.isEmpty() || text(Bits) == bits)
            && (status.isEmpty() || text(Status) == status);
    }
};

RunsBrowser::RunsBrowser(QWidget *parent) : QWidget(parent)
{
    m_model = new QStandardItemModel(0, ColumnCount, this);
    QStringList headers{tr("ID"), tr("Created"), tr("Status"), tr("Model"), tr("Method"), tr("Bits"), tr("Calib"), tr("Iters"), tr("Seed")};
    for (const char *key : kMetricColumns)
        headers << metricHeader(key);
    m_model->setHorizontalHeaderLabels(headers);
    m_filter = new RunFilterModel(this);
    m_filter->setSourceModel(m_model);
    m_filter->setSortRole(Qt::UserRole);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("runsTable"));
    m_table->setModel(m_filter);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(Id, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);

    m_modelFilter = new QLineEdit(this);
    m_modelFilter->setPlaceholderText(tr("model contains…"));
    m_modelFilter->setClearButtonEnabled(true);
    auto combo = [this](const char *name, const QString &tip) {
        auto *c = new QComboBox(this);
        c->setObjectName(QLatin1String(name));
        c->setToolTip(tip);
        c->addItem(tr("any"), QString());
        c->setSizeAdjustPolicy(QComboBox::AdjustToContents);
        return c;
    };
    m_methodFilter = combo("methodFilter", tr("Show runs of this method"));
    m_bitsFilter = combo("bitsFilter", tr("Show runs with these bit-widths"));
    m_statusFilter = combo("statusFilter", tr("Show runs with this status"));
    auto *filters = new QHBoxLayout;
    filters->addWidget(new QLabel(tr("Filter:"), this));
    filters->addWidget(m_modelFilter, 1);
    for (auto [label, c] : {std::pair{tr("method"), m_methodFilter}, std::pair{tr("bits"), m_bitsFilter},
                            std::pair{tr("status"), m_statusFilter}}) {
        filters->addWidget(new QLabel(label, this));
        filters->addWidget(c);
    }
    auto *buttons = new QHBoxLayout;
    auto button = [&](const char *name, const QString &text, const QString &tip) {
        auto *b = new QPushButton(text, this);
        b->setObjectName(QLatin1String(name));
        b->setToolTip(tip);
        buttons->addWidget(b);
        return b;
    };
    QPushButton *refresh = button("refreshRuns", tr("&Refresh"), tr("Re-read the run database"));
    QPushButton *open = button("openRun", tr("&Open"), tr("Show the selected run's charts, images and metrics as recorded"));
    QPushButton *rerun = button("rerunRun", tr("Re&run"), tr("Run the selected run's spec again (its card values, seed and options) "
                                                            "and say whether the quantized weights are identical"));
    QPushButton *compare = button("compareRuns", tr("&Compare"), tr("Compare the selected runs (two or more) side by side"));
    QPushButton *del = button("deleteRuns", tr("&Delete…"), tr("Delete the selected runs from the database"));
    buttons->addStretch(1);
    auto *l = new QVBoxLayout(this);
    l->addLayout(filters);
    l->addWidget(m_table, 1);
    l->addLayout(buttons);

    connect(refresh, &QPushButton::clicked, this, &RunsBrowser::reload);
    connect(open, &QPushButton::clicked, this, [this] {
        const auto ids = selectedRunIds();
        if (!ids.isEmpty())
            Q_EMIT openRequested(ids.first());
    });
    connect(rerun, &QPushButton::clicked, this, [this] {
        const auto ids = selectedRunIds();
        if (ids.size() == 1)
            Q_EMIT rerunRequested(ids.first());
        else
            Q_EMIT errorOccurred(tr("Select the one run to rerun."));
    });
    connect(m_table, &QTableView::doubleClicked, this, [this](const QModelIndex &i) {
        Q_EMIT openRequested(m_filter->index(i.row(), Id).data(Qt::UserRole).toLongLong());
    });
    connect(compare, &QPushButton::clicked, this, [this] {
        const auto ids = selectedRunIds();
        if (ids.size() >= 2)
            Q_EMIT compareRequested(ids);
        else
            Q_EMIT errorOccurred(tr("Select two or more runs to compare (Ctrl+click)."));
    });
    connect(del, &QPushButton::clicked, this, &RunsBrowser::deleteSelected);
    connect(m_modelFilter, &QLineEdit::textChanged, this, [this](const QString &t) {
        m_filter->model = t;
        m_filter->refilter();
    });
    for (QComboBox *c : {m_methodFilter, m_bitsFilter, m_statusFilter})
        connect(c, &QComboBox::currentIndexChanged, this, [this] {
            m_filter->method = m_methodFilter->currentData().toString();
            m_filter->bits = m_bitsFilter->currentData().toString();
            m_filter->status = m_statusFilter->currentData().toString();
            m_filter->refilter();
        });
}

void RunsBrowser::setStore(StoreClient *store)
{
    m_store = store;
    reload();
}

void RunsBrowser::reload()
{
    if (!m_store)
        return;
    using Rows = std::vector<store::RunRow>;
    m_store->call<Rows>(this, [](store::RunStore &db) { return db.listRuns(); }, [this](const Result<Rows> &runs) {
        if (!runs) {
            m_error = runs.error().message;
            Q_EMIT errorOccurred(m_error);
            return;
        }
        m_error.clear();
        showRuns(*runs);
        Q_EMIT reloaded();
    });
}

void RunsBrowser::showRuns(const std::vector<store::RunRow> &runs)
{
    const QList<qint64> selected = selectedRunIds();
    m_model->removeRows(0, m_model->rowCount());
    for (const store::RunRow &r : runs) {
        QList<QStandardItem *> row;
        auto add = [&row](const QVariant &display, const QVariant &sortKey) {
            auto *it = new QStandardItem(display.toString());
            it->setData(sortKey, Qt::UserRole);
            row.append(it);
        };
        const std::optional<RunResult> result = r.typedResult();
        auto metric = [&](const char *key) {
            const ResultMetric *m = findResultMetric(QLatin1String(key));
            const std::optional<double> v = result ? m->get(*result) : std::nullopt;
            add(v ? QString::number(*v, 'f', std::max(0, m->decimals)) : QString(), v ? *v : -1e300);
        };
        add(qlonglong(r.id), qlonglong(r.id));
        add(r.created, r.created);
        add(QLatin1String(store::statusName(r.status)), QLatin1String(store::statusName(r.status)));
        const QString model = QFileInfo(r.spec.value(QLatin1String("model")).toString()).completeBaseName();
        add(model, model);
        // A run of another kind (a sensitivity analysis) shows its kind as its method, and no bits.
        const bool quantization = r.kind == QLatin1String(store::kQuantizeRun);
        const QString method = quantization ? r.spec.value(QLatin1String("method")).toString() : r.kind;
        add(method, method);
        add(quantization ? bitsLabel(r.spec) : QString(), quantization ? bitsLabel(r.spec) : QString());
        add(r.spec.value(QLatin1String("calib_size")).toInteger(), r.spec.value(QLatin1String("calib_size")).toInteger());
        add(r.spec.value(QLatin1String("iters")).toInt(), r.spec.value(QLatin1String("iters")).toInt());
        add(r.spec.value(QLatin1String("seed")).toString(), r.spec.value(QLatin1String("seed")).toString().toLongLong());
        for (const char *key : kMetricColumns)
            metric(key);
        if (!r.error.isEmpty())
            for (QStandardItem *it : row)
                it->setToolTip(r.error);
        m_model->appendRow(row);
    }
    refillFilterChoices();
    selectRuns(selected);
}

void RunsBrowser::refillFilterChoices()
{
    for (auto [combo, col] : {std::pair{m_methodFilter, int(Method)}, std::pair{m_bitsFilter, int(Bits)},
                              std::pair{m_statusFilter, int(Status)}}) {
        QStringList values;
        for (int r = 0; r < m_model->rowCount(); ++r)
            values << m_model->item(r, col)->text();
        values.removeDuplicates();
        values.sort();
        const QString current = combo->currentData().toString();
        combo->blockSignals(true);
        while (combo->count() > 1)
            combo->removeItem(1);
        for (const QString &v : values)
            combo->addItem(v, v);
        combo->setCurrentIndex(std::max(0, combo->findData(current)));
        combo->blockSignals(false);
    }
}

int RunsBrowser::visibleRuns() const
{
    return m_filter->rowCount();
}

QList<qint64> RunsBrowser::selectedRunIds() const
{
    QList<qint64> ids;
    for (const QModelIndex &i : m_table->selectionModel()->selectedRows(Id))
        ids << i.data(Qt::UserRole).toLongLong();
    std::sort(ids.begin(), ids.end());
    return ids;
}

void RunsBrowser::selectRuns(const QList<qint64> &ids)
{
    m_table->clearSelection();
    for (int r = 0; r < m_filter->rowCount(); ++r)
        if (ids.contains(m_filter->index(r, Id).data(Qt::UserRole).toLongLong()))
            m_table->selectionModel()->select(m_filter->index(r, Id),
                                              QItemSelectionModel::Select | QItemSelectionModel::Rows);
}

void RunsBrowser::setFilters(const QString &model, const QString &method, const QString &bits, const QString &status)
{
    m_modelFilter->setText(model);
    m_methodFilter->setCurrentIndex(std::max(0, m_methodFilter->findData(method)));
    m_bitsFilter->setCurrentIndex(std::max(0, m_bitsFilter->findData(bits)));
    m_statusFilter->setCurrentIndex(std::max(0, m_statusFilter->findData(status)));
}

void RunsBrowser::deleteSelected()
{
    const QList<qint64> ids = selectedRunIds();
    if (ids.isEmpty())
        return;
    auto *box = new QMessageBox(QMessageBox::Question, tr("Delete runs"),
                                tr("Delete %n run(s) and all their recorded data?", nullptr, int(ids.size())),
                                QMessageBox::Yes | QMessageBox::Cancel, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, ids](int button) {
        if (button != QMessageBox::Yes)
            return;
        if (!m_store)
            return;
        m_store->call<bool>(this, [ids](store::RunStore &db) -> Result<bool> {
            for (qint64 id : ids)
                if (auto r = db.deleteRun(id); !r)
                    return r.error();
            return true;
        }, [this](const Result<bool> &r) {
            if (!r)
                Q_EMIT errorOccurred(r.error().message);
            reload();
        });
    });
    box->open();
}

}  // namespace metaaug::ui
