import ArgumentParser
import Datasets

/// The data set names `Dataset` knows, for help texts: "mnist or fashion-mnist", or with
/// `extra` appended ("mnist, fashion-mnist or none").
func datasetChoices(adding extra: [String] = []) -> String {
    let names = Dataset.knownNames + extra
    guard names.count > 1 else { return names.joined() }
    return names.dropLast().joined(separator: ", ") + " or " + (names.last ?? "")
}

/// The data set a `--dataset` value names, an unknown name being a usage error.
func knownDataset(named name: String) throws -> Dataset {
    do {
        return try Dataset.named(name)
    } catch {
        throw ValidationError(error.description)
    }
}
