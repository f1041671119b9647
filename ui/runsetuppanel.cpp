// SPDX-License-Identifier: GPL-3.0-or-later
#include "runsetuppanel.h"

#include "fieldform.h"

#include "methods/methodcatalog.h"
#include "run/presets.h"
#include "run/specfields.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QSettings>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QGroupBox>
#include <QtWidgets/QVBoxLayout>

namespace metaaug::ui {

RunSetupPanel::RunSetupPanel(QWidget *parent) : QWidget(parent)
{
    auto *outer = new QVBoxLayout(this);
    auto *presetRow = new QFormLayout;
    outer->addLayout(presetRow);
    m_preset = new QComboBox(this);
    m_preset->setObjectName(QStringLiteral("preset"));
    for (const RunPreset &p : runPresets()) {
        m_preset->addItem(p.label, p.id);
        m_preset->setItemData(m_preset->count() - 1, p.description, Qt::ToolTipRole);
    }
    // After an edit the form no longer is the preset: it says so.
    m_preset->addItem(tr("Custom"), QString());
    m_preset->setItemData(m_preset->count() - 1, tr("Values edited after a preset was applied"), Qt::ToolTipRole);
    m_preset->setToolTip(tr("Sets calibration size, iterations, evaluation size and method options together"));
    presetRow->addRow(tr("Preset"), m_preset);

    FieldTable shown;
    for (const SpecField &f : specFields())
        if (f.field.inForm)
            shown.push_back(f.field);
    m_form = new FieldForm(shown, QString(), this);
    outer->addWidget(m_form);
    // Hover a method for what it does.
    QComboBox *method = methodBox();
    for (int i = 0; i < method->count(); ++i)
        method->setItemData(i, methods::methodDescription(method->itemData(i).toString()), Qt::ToolTipRole);

    for (const QString &id : methods::methodIds()) {
        const FieldTable &options = methods::methodOptionFields(id);
        if (options.empty())
            continue;
        auto *group = new QGroupBox(tr("%1 options").arg(id), this);
        group->setObjectName(id + QStringLiteral("Options"));
        auto *layout = new QVBoxLayout(group);
        auto *form = new FieldForm(options, id + QLatin1Char('_'), group);
        layout->addWidget(form);
        connect(form, &FieldForm::changed, this, &RunSetupPanel::changed);
        connect(form, &FieldForm::changed, this, &RunSetupPanel::markCustom);
        m_methodGroups[id] = group;
        m_methodForms[id] = form;
        outer->addWidget(group);
    }
    outer->addStretch(1);

    connect(m_form, &FieldForm::changed, this, &RunSetupPanel::changed);
    connect(m_form, &FieldForm::changed, this, &RunSetupPanel::markCustom);
    connect(method, &QComboBox::currentIndexChanged, this, &RunSetupPanel::showMethodSection);
    connect(m_preset, &QComboBox::activated, this, [this] { applyPreset(m_preset->currentData().toString()); });
    setSpec(QJsonObject{{"method", workbenchDefaultMethod()}});
    applyPreset(workbenchDefaultPreset());
}

QComboBox *RunSetupPanel::methodBox() const
{
    return qobject_cast<QComboBox *>(m_form->editor(QStringLiteral("method")));
}

QGroupBox *RunSetupPanel::methodGroup(const QString &method) const
{
    auto it = m_methodGroups.find(method);
    return it == m_methodGroups.end() ? nullptr : it->second;
}

// The chosen method's section is shown, and fields that do not apply to it
// (iterations for rtn) are disabled.
void RunSetupPanel::showMethodSection()
{
    const QString method = methodBox()->currentData().toString();
    for (const auto &[id, group] : m_methodGroups)
        group->setVisible(id == method);
    for (const SpecField &f : specFields())
        if (QWidget *w = m_form->editor(f.field.key))
            w->setEnabled(f.methods.isEmpty() || f.methods.contains(method));
}

// An edit after a preset makes the form Custom; choosing another method is
// not one (a preset keeps the chosen method), nor are values the panel sets.
void RunSetupPanel::markCustom()
{
    if (m_applying > 0 || m_preset->currentData().toString().isEmpty())
        return;
    QJsonObject now = m_form->values();
    now.remove(QStringLiteral("method"));
    if (sender() != m_form || now != m_presetValues)
        m_preset->setCurrentIndex(m_preset->findData(QString()));
}

void RunSetupPanel::applyPreset(const QString &id)
{
    const RunPreset *p = findRunPreset(id);
    if (!p)
        return;
    ++m_applying;
    m_preset->setCurrentIndex(m_preset->findData(id));
    const QString method = methodBox()->currentData().toString();
    m_form->reset();
    for (const auto &[mid, form] : m_methodForms) {
        form->reset();
        if (auto it = p->methodOptions.find(mid); it != p->methodOptions.end())
            form->setValues(it->second);
    }
    QJsonObject spec = p->spec;
    spec[QStringLiteral("method")] = method;  // a preset keeps the chosen method
    setSpec(spec);
    m_presetValues = m_form->values();
    m_presetValues.remove(QStringLiteral("method"));
    --m_applying;
}

QJsonObject RunSetupPanel::spec() const
{
    QJsonObject spec = m_form->values();
    const QString method = spec.value(QLatin1String("method")).toString();
    auto it = m_methodForms.find(method);
    spec[QStringLiteral("method_options")] = it == m_methodForms.end() ? QJsonObject{} : it->second->values();
    return spec;
}

void RunSetupPanel::setSpec(const QJsonObject &spec)
{
    ++m_applying;
    m_form->setValues(spec);
    const QString method = spec.value(QLatin1String("method")).toString(methodBox()->currentData().toString());
    if (auto it = m_methodForms.find(method); it != m_methodForms.end())
        it->second->setValues(spec.value(QLatin1String("method_options")).toObject());
    showMethodSection();
    --m_applying;
}

void RunSetupPanel::save(QSettings &settings) const
{
    settings.setValue(QStringLiteral("setup/preset"), m_preset->currentData());
    settings.setValue(QStringLiteral("setup/spec"), QJsonDocument(spec()).toJson(QJsonDocument::Compact));
}

void RunSetupPanel::restore(const QSettings &settings)
{
    const QJsonObject saved = QJsonDocument::fromJson(settings.value(QStringLiteral("setup/spec")).toByteArray()).object();
    if (!saved.isEmpty()) {
        m_preset->setCurrentIndex(std::max(0, m_preset->findData(settings.value(QStringLiteral("setup/preset")))));
        setSpec(saved);
    }
}

}  // namespace metaaug::ui
