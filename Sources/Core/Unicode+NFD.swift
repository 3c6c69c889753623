import Foundation

extension String {
    /// The NFD form, for accent-insensitive comparison.
    var decomposedNFD: String { self.decomposedStringWithCanonicalMapping }
}
