// File checksums (see checksum.h).
#include "core/checksum.h"

#include <fstream>
#include <stdexcept>
#include <vector>

namespace statetrack::core {

std::string file_checksum(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error(fmt::format("cannot open '{}' to verify its checksum", path));
    }
    Fnv1a64 h;
    std::vector<char> buffer(size_t{1} << 16);
    while (in) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        h.add_bytes(buffer.data(), static_cast<size_t>(in.gcount()));
    }
    if (in.bad()) {
        throw std::runtime_error(fmt::format("cannot read '{}' to verify its checksum", path));
    }
    return h.hex();
}

void verify_file_checksum(const std::string& path, const std::string& expected,
                          const std::string& what, const std::string& stated_by) {
    const std::string actual = file_checksum(path);
    if (actual != expected) {
        throw std::runtime_error(fmt::format(
            "{} '{}' is corrupt: its checksum is {}, {} says {}", what, path, actual, stated_by,
            expected.size() > 32 ? expected.substr(0, 32) + "..." : expected));
    }
}

}  // namespace statetrack::core
