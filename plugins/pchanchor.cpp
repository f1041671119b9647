// Anchors the plugins' precompiled header (see CMakeLists.txt).
