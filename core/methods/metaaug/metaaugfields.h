// SPDX-License-Identifier: GPL-3.0-or-later
// MetaAug's options as a field table (common/field.h): the CLI's flags, the
// GUI's form, validation and the published schema all read it. Defaults
// come from MetaAugOptions{} (the one place they are written).
#pragma once

#include "common/field.h"

namespace metaaug::methods {

const FieldTable &metaAugFields();

}  // namespace metaaug::methods
