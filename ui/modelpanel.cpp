// SPDX-License-Identifier: GPL-3.0-or-later
#include "modelpanel.h"

#include <QtCore/QFileInfo>
#include <QtCore/QLocale>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QTreeWidget>
#include <QtWidgets/QVBoxLayout>

namespace metaaug::ui {

namespace {
constexpr size_t kExpandedUnits = 12;
}

ModelPanel::ModelPanel(QWidget *parent) : QWidget(parent)
{
    auto *l = new QVBoxLayout(this);
    m_header = new QLabel(tr("No model loaded."), this);
    m_header->setObjectName(QStringLiteral("modelHeader"));
    m_header->setWordWrap(true);
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_tree = new QTreeWidget(this);
    m_tree->setObjectName(QStringLiteral("modelTree"));
    m_tree->setHeaderLabels({tr("Unit / layer"), tr("Op"), tr("Weight"), tr("Output"), tr("Parameters")});
    m_tree->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    l->addWidget(m_header);
    l->addWidget(m_tree, 1);
}

void ModelPanel::setMessage(const QString &text)
{
    m_header->setText(text);
    m_tree->clear();
}

void ModelPanel::setSummary(const ModelSummary &s)
{
    const QLocale loc;
    m_header->setText(tr("<b>%1</b> (%2)<br>input %3 · %4 classes · %5 units · %6 parameters · partition %7%8")
                          .arg(QFileInfo(s.path).fileName().toHtmlEscaped(), s.cardName.toHtmlEscaped(), s.inputShape)
                          .arg(s.classes).arg(s.units.size()).arg(loc.toString(qlonglong(s.parameters)), s.partitionRule)
                          .arg((s.fpTestTop1 >= 0 ? tr(" · FP test top-1 %1 %").arg(s.fpTestTop1, 0, 'f', 2) : QString()) +
                               (s.softmaxHead.isEmpty() ? QString()
                                                        : tr("<br>ends in %1: KL and agreement use the logits before it").arg(s.softmaxHead))));
    m_header->setToolTip(tr("%1\nSHA-256 %2").arg(s.path, s.sha256));
    m_tree->clear();
    for (size_t u = 0; u < s.units.size(); ++u) {
        const UnitSummary &unit = s.units[u];
        int64_t params = 0;
        for (const LayerSummary &l : unit.layers)
            params += l.parameters;
        auto *item = new QTreeWidgetItem(m_tree, {tr("%1. %2").arg(u + 1).arg(unit.name), tr("unit"),
                                                  tr("in %1").arg(unit.inputShape), unit.outputShape, loc.toString(qlonglong(params))});
        for (const LayerSummary &l : unit.layers)
            new QTreeWidgetItem(item, {l.name, l.op, l.weightShape, l.outputShape, loc.toString(qlonglong(l.parameters))});
    }
    // A small network shows every layer; a large one (ResNet-50: 18 units,
    // 54 layers) its units, each opened on demand.
    if (s.units.size() <= kExpandedUnits)
        m_tree->expandAll();
    m_tree->resizeColumnToContents(0);
}

}  // namespace metaaug::ui
