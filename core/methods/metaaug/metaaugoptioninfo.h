// MetaAug's options described for front ends: the CLI builds its flags and
// the GUI its form (with tooltips) from this one table. Defaults are the
// spec's (MetaAugOptions{}), given as text; a test checks they agree.
// No LibTorch in this header.
#pragma once

#include <QtCore/QStringList>

#include <vector>

namespace metaaug::methods {

struct MetaAugOptionInfo {
    const char *flag;          // CLI flag without "--"
    const char *key;           // method_options JSON key
    const char *label;         // short label for a form
    const char *help;          // what it does, with its default
    const char *defaultValue;  // as text
    const char *choices;       // "a|b" for a choice; nullptr for a number or text
    double minimum = 0, maximum = 0;  // numbers: the accepted range, for spin boxes
    bool integer = false;
    bool boolean = false;      // a boolean: a CLI flag without value, a check box
    bool text = false;         // free text (t_init's file:PATH)
};

const std::vector<MetaAugOptionInfo> &metaAugOptionInfo();

}  // namespace metaaug::methods
