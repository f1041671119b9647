// SPDX-License-Identifier: GPL-3.0-or-later
#include "fieldform.h"

#include <QtWidgets/QCheckBox>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QSpinBox>

#include <limits>

namespace metaaug::ui {

namespace {
// QSpinBox holds an int: 64-bit fields (the seed) get a line edit.
bool fitsSpinBox(const Field &f)
{
    return f.type == FieldType::Integer && !f.bigInteger && f.maximum <= std::numeric_limits<int>::max();
}
}  // namespace

FieldForm::FieldForm(FieldTable fields, const QString &namePrefix, QWidget *parent) : QWidget(parent), m_fields(std::move(fields))
{
    auto *form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    for (const Field &f : m_fields) {
        QWidget *editor = nullptr;
        if (f.type == FieldType::Boolean) {
            auto *c = new QCheckBox(this);
            connect(c, &QCheckBox::toggled, this, &FieldForm::changed);
            editor = c;
        } else if (f.type == FieldType::Choice) {
            auto *c = new QComboBox(this);
            for (const QString &choice : f.choices)
                c->addItem(choice, choice);
            connect(c, &QComboBox::currentIndexChanged, this, &FieldForm::changed);
            editor = c;
        } else if (fitsSpinBox(f)) {
            auto *s = new QSpinBox(this);
            s->setRange(int(f.minimum), int(f.maximum));
            s->setAccelerated(true);
            connect(s, &QSpinBox::valueChanged, this, &FieldForm::changed);
            editor = s;
        } else {
            auto *e = new QLineEdit(this);
            e->setPlaceholderText(f.defaultText());
            connect(e, &QLineEdit::textChanged, this, &FieldForm::changed);
            editor = e;
        }
        editor->setObjectName(namePrefix + f.key);
        editor->setToolTip(f.describe());
        m_editors[f.key] = editor;
        form->addRow(f.label, editor);
    }
    reset();
}

QWidget *FieldForm::editor(const QString &key) const
{
    auto it = m_editors.find(key);
    return it == m_editors.end() ? nullptr : it->second;
}

QJsonObject FieldForm::values() const
{
    QJsonObject out;
    for (const Field &f : m_fields) {
        QWidget *w = editor(f.key);
        if (auto *c = qobject_cast<QComboBox *>(w))
            out[f.key] = c->currentData().toString();
        else if (auto *b = qobject_cast<QCheckBox *>(w))
            out[f.key] = b->isChecked();
        else if (auto *s = qobject_cast<QSpinBox *>(w))
            out[f.key] = s->value();
        else if (auto *e = qobject_cast<QLineEdit *>(w)) {
            auto v = f.parse(e->text());
            out[f.key] = v ? *v : QJsonValue(e->text());  // core names the key of a bad value
        }
    }
    return out;
}

void FieldForm::setValues(const QJsonObject &values)
{
    for (auto it = values.begin(); it != values.end(); ++it) {
        QWidget *w = editor(it.key());
        if (!w)
            continue;
        const QJsonValue &v = it.value();
        if (auto *c = qobject_cast<QComboBox *>(w)) {
            if (const int i = c->findData(v.toString()); i >= 0)
                c->setCurrentIndex(i);
        } else if (auto *b = qobject_cast<QCheckBox *>(w)) {
            b->setChecked(v.toBool());
        } else if (auto *s = qobject_cast<QSpinBox *>(w)) {
            s->setValue(v.toVariant().toInt());
        } else if (auto *e = qobject_cast<QLineEdit *>(w)) {
            e->setText(v.isDouble() ? QString::number(v.toDouble(), 'g', 12) : v.toVariant().toString());
        }
    }
}

void FieldForm::reset()
{
    QJsonObject defaults;
    for (const Field &f : m_fields)
        defaults[f.key] = f.defaultValue;
    setValues(defaults);
}

}  // namespace metaaug::ui
