import ArgumentParser
import Datasets
import Foundation
import Interpretability
import PolynomialConversion
import Training

/// The data set an explain analysis runs on (`--dataset`, else the one the checkpoint was
/// trained on, else MNIST), its first test images and, for the data distribution, its
/// training images.
struct ExplainData {
    let dataset: Dataset
    let training: LabeledImages?
    let test: LabeledImages

    init(dataset requested: String?, configuration: TrainingConfiguration?, dataDirectory: String?,
         distribution: InputDistribution, samples: Int?) throws {
        dataset = try knownDataset(named: requested ?? configuration?.dataset ?? Dataset.mnist.name)
        let directory = try DataLocator.directory(for: dataset.name, dataDirectory: dataDirectory)
        test = try MNIST.load(.test, from: directory).prefix(samples ?? Int.max)
        training = distribution.needsTrainingInputs ? try MNIST.load(.train, from: directory) : nil
    }

    /// The same data with only the first `count` test images.
    func prefix(_ count: Int) -> ExplainData { ExplainData(dataset: dataset, training: training, test: test.prefix(count)) }

    private init(dataset: Dataset, training: LabeledImages?, test: LabeledImages) {
        self.dataset = dataset
        self.training = training
        self.test = test
    }

    /// Checks that `network` takes this data set's images and gives one output per class.
    func check(_ network: FeedforwardNetwork) throws {
        guard network.inputDimension == test.images.columns else {
            throw ValidationError("the model takes \(network.inputDimension) inputs but \(dataset.name) images have \(test.images.columns) pixels; pass the --dataset it was trained on")
        }
        guard network.outputCount == dataset.classCount else {
            throw ValidationError("the model gives \(network.outputCount) outputs but \(dataset.name) has \(dataset.classCount) classes; pass the --dataset it was trained on")
        }
    }

    /// Checks that `block` takes this data set's images and gives one output per class.
    func check(_ block: FeedforwardBlock) throws {
        guard block.inputDimension == test.images.columns else {
            throw ValidationError("the model takes \(block.inputDimension) inputs but \(dataset.name) images have \(test.images.columns) pixels; pass the --dataset it was trained on")
        }
        guard block.outputCount == dataset.classCount else {
            throw ValidationError("the model gives \(block.outputCount) outputs but \(dataset.name) has \(dataset.classCount) classes; pass the --dataset it was trained on")
        }
    }
}
