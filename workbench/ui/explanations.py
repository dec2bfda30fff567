"""Plain-language explanations of every setting in the form, keyed by config field.

Each entry says what the setting does, which values are usual and what to watch for on the
plots. The texts are marked for translation here and translated when they are shown, so the
language in use at that moment is the one people read. ``tip`` is a one-line tooltip, given only
for controls whose panel has no tooltip of its own. Keys are dotted config fields
(``run.batch_size``); the run controls, which are not config fields, use ``controls.*``.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

CONTEXT = "Explanations"


@dataclass(frozen=True)
class Explanation:
    title: str
    text: str
    tip: str = ""


def _e(title: str, text: str, tip: str = "") -> Explanation:
    return Explanation(title, text, tip)


EXPLANATIONS: dict[str, Explanation] = {
    # -- data --------------------------------------------------------------------------------
    "data.dataset": _e(
        QT_TRANSLATE_NOOP("Explanations", "Data set"),
        QT_TRANSLATE_NOOP("Explanations",
            "The examples the network learns from. The 2-D sets (spiral, moons...) are drawn "
            "fresh from a formula and are quick to train, good for watching the ideas. The "
            "bundled sets are small real tables or images. Choose CSV file or Image folder to "
            "train on your own data."),
        QT_TRANSLATE_NOOP("Explanations", "What the network learns from.")),
    "data.target": _e(
        QT_TRANSLATE_NOOP("Explanations", "Target column"),
        QT_TRANSLATE_NOOP("Explanations",
            "The column of the CSV file the network learns to predict; every other column is "
            "an input. A column of words or a few whole numbers becomes classification, a "
            "column of measurements becomes regression. ID columns and row numbers are left "
            "out of the inputs on their own; the column table shows each column's role.")),
    "data.task": _e(
        QT_TRANSLATE_NOOP("Explanations", "Task"),
        QT_TRANSLATE_NOOP("Explanations",
            "What the network predicts. Classification picks one of the target column's "
            "values (a class); regression predicts a number. Automatic chooses from the target "
            "column: text or a few whole numbers become classes, other numbers regression; the "
            "list shows what it chose and why. Choose one yourself when a column of codes such "
            "as 1 to 5 is really a measurement, or the other way round.")),
    "data.sheet": _e(
        QT_TRANSLATE_NOOP("Explanations", "Sheet"),
        QT_TRANSLATE_NOOP("Explanations",
            "The sheet of an Excel workbook to train on. Each sheet is read as its own table, "
            "with a header row of column names first. Changing the sheet reads its columns "
            "again and starts their roles afresh.")),
    "data.samples": _e(
        QT_TRANSLATE_NOOP("Explanations", "Samples"),
        QT_TRANSLATE_NOOP("Explanations",
            "How many points the synthetic data set has, before the validation split. More "
            "samples give a truer picture of the shape to learn and more iterations per "
            "epoch. A few hundred are enough to see training work; with very few the network "
            "can memorise them (overfitting)."),
        QT_TRANSLATE_NOOP("Explanations", "Number of points in the synthetic data set.")),
    "data.noise": _e(
        QT_TRANSLATE_NOOP("Explanations", "Noise"),
        QT_TRANSLATE_NOOP("Explanations",
            "How much random scatter is added to each synthetic point. With 0 the classes are "
            "cleanly separated; around 0.1 to 0.3 they overlap at the edges, like real data. "
            "With high noise no network can reach a low validation loss: the loss that is left "
            "is the noise itself."),
        QT_TRANSLATE_NOOP("Explanations", "Random scatter added to each point.")),
    "data.classes": _e(
        QT_TRANSLATE_NOOP("Explanations", "Classes"),
        QT_TRANSLATE_NOOP("Explanations",
            "How many categories the synthetic set has: the arms of the spiral or the number "
            "of blobs. More classes make the task harder and need a larger network. The "
            "output layer gets one unit per class."),
        QT_TRANSLATE_NOOP("Explanations", "Number of categories (spiral arms, blobs).")),
    "data.image_size": _e(
        QT_TRANSLATE_NOOP("Explanations", "Image size"),
        QT_TRANSLATE_NOOP("Explanations",
            "Every image is resized to this many pixels on each side before training. Small "
            "images (28 to 64 px) train fast and need little memory; large ones keep detail "
            "but cost much more per iteration. All images in one batch must have the same "
            "size."),
        QT_TRANSLATE_NOOP("Explanations", "Side length every image is resized to.")),
    "data.grayscale": _e(
        QT_TRANSLATE_NOOP("Explanations", "Grey scale"),
        QT_TRANSLATE_NOOP("Explanations",
            "Turns colour images into grey ones: one input channel instead of three (red, "
            "green, blue). Use it when colour carries no meaning for the task, such as "
            "handwriting. The network gets smaller and trains faster."),
        QT_TRANSLATE_NOOP("Explanations", "One grey channel instead of three colour ones.")),
    "data.val_split": _e(
        QT_TRANSLATE_NOOP("Explanations", "Validation split"),
        QT_TRANSLATE_NOOP("Explanations",
            "The share of the data kept aside and never trained on; the validation loss is "
            "measured on it. 20 to 30 % is usual. It is the honest score: the training loss "
            "keeps falling, but when the validation loss stops falling or rises, the network "
            "is overfitting. With 0 % there is no validation loss and no early stopping.")),
    "data.imbalance": _e(
        QT_TRANSLATE_NOOP("Explanations", "Class balance"),
        QT_TRANSLATE_NOOP("Explanations",
            "When one class is much rarer than another, a network can score well by ignoring "
            "it. Over-sampling repeats the rare samples each epoch; under-sampling draws a "
            "different random subset of the common class each epoch, so no data is thrown "
            "away for good. Check the per-class counts under the data settings.")),
    "data.normalize": _e(
        QT_TRANSLATE_NOOP("Explanations", "Normalise inputs"),
        QT_TRANSLATE_NOOP("Explanations",
            "Shifts and scales each input so that it has mean 0 and standard deviation 1. "
            "Inputs on very different scales (metres next to grams) make training slow and "
            "unstable. The mean and deviation come from the training split only and travel "
            "with the saved model; leave it on unless you have a reason.")),
    "data.augment.hflip": _e(
        QT_TRANSLATE_NOOP("Explanations", "Flip horizontally"),
        QT_TRANSLATE_NOOP("Explanations",
            "Each training image is mirrored left-right at random, half of the time. The "
            "network sees more variety from the same images, which fights overfitting. Only "
            "use it when a mirrored image still shows the same class (a cat, yes; the digit "
            "7, no). Validation images are never changed."),
        QT_TRANSLATE_NOOP("Explanations", "Mirror training images at random.")),
    "data.augment.crop": _e(
        QT_TRANSLATE_NOOP("Explanations", "Random crop"),
        QT_TRANSLATE_NOOP("Explanations",
            "Each training image is cut to a random part of this size and scaled back up, so "
            "the object moves around a little. About 0.8 to 0.9 is typical; 1 is off. Too "
            "small a crop can cut away what identifies the class.")),
    "data.augment.rotation": _e(
        QT_TRANSLATE_NOOP("Explanations", "Rotation"),
        QT_TRANSLATE_NOOP("Explanations",
            "Each training image is turned by a random angle up to this many degrees either "
            "way. Small angles (up to about 15 to 30 degrees) teach the network that a "
            "slightly tilted picture is the same thing. Large ones can turn a 6 into a 9."),
        QT_TRANSLATE_NOOP("Explanations", "Random turn of training images, in degrees.")),
    "data.augment.jitter": _e(
        QT_TRANSLATE_NOOP("Explanations", "Colour jitter"),
        QT_TRANSLATE_NOOP("Explanations",
            "Randomly changes the brightness and contrast of each training image by up to "
            "this fraction. It helps when photos come from different lights or cameras. "
            "Around 0.1 to 0.3 is gentle; 0 is off."),
        QT_TRANSLATE_NOOP("Explanations", "Random brightness and contrast changes.")),
    # -- model -------------------------------------------------------------------------------
    "model.kind": _e(
        QT_TRANSLATE_NOOP("Explanations", "Network type"),
        QT_TRANSLATE_NOOP("Explanations",
            "A fully connected network (MLP) connects every input to every unit: right for "
            "tables of numbers and 2-D points. A convolutional network (CNN) slides small "
            "filters over an image, so it finds the same pattern anywhere with far fewer "
            "weights. Use the CNN for images."),
        QT_TRANSLATE_NOOP("Explanations", "Fully connected for tables, convolutional for "
                                          "images.")),
    "model.channels": _e(
        QT_TRANSLATE_NOOP("Explanations", "Filters"),
        QT_TRANSLATE_NOOP("Explanations",
            "How many filters each convolution layer learns, layer by layer: 16,32 is two "
            "layers. Each filter detects one pattern (an edge, a curve, later whole parts). "
            "Doubling the count after each pooling step is customary. More filters see more "
            "but cost memory and time.")),
    "model.kernel_size": _e(
        QT_TRANSLATE_NOOP("Explanations", "Kernel size"),
        QT_TRANSLATE_NOOP("Explanations",
            "The width of each filter in pixels, usually odd: 3 is the common choice. Small "
            "kernels see fine detail; stacking layers lets them see wider. Large kernels see "
            "more context at once but have many more weights."),
        QT_TRANSLATE_NOOP("Explanations", "Width of each convolution filter in pixels.")),
    "model.pooling": _e(
        QT_TRANSLATE_NOOP("Explanations", "Pooling"),
        QT_TRANSLATE_NOOP("Explanations",
            "After each convolution the image is shrunk to half its width and height. Max "
            "pooling keeps the strongest response in each patch (\"is the pattern there?\"); "
            "average pooling keeps the mean, a smoother, more global summary. Max is the "
            "usual choice."),
        QT_TRANSLATE_NOOP("Explanations", "How each convolution's output is shrunk.")),
    "model.hidden": _e(
        QT_TRANSLATE_NOOP("Explanations", "Hidden layers"),
        QT_TRANSLATE_NOOP("Explanations",
            "The layers between input and output, as units per layer: 64,64 is two layers of "
            "64. Empty means a linear model, which can only draw straight boundaries. Wider "
            "and deeper networks can learn more complex shapes but train slower and overfit "
            "small data sets more easily; one or two layers of 32 to 256 units is a good "
            "start.")),
    "model.activation": _e(
        QT_TRANSLATE_NOOP("Explanations", "Activation"),
        QT_TRANSLATE_NOOP("Explanations",
            "The bend applied after each layer; without it, many layers would be no better "
            "than one. ReLU (max(0, x)) is fast and the usual default. Leaky ReLU, ELU, GELU, "
            "SiLU and Mish are smooth or leaky variants that keep a small gradient below zero. "
            "tanh and sigmoid flatten out at both ends, which can stall deep networks."),
        QT_TRANSLATE_NOOP("Explanations", "The non-linear function after each layer.")),
    "model.input_dropout": _e(
        QT_TRANSLATE_NOOP("Explanations", "Input dropout"),
        QT_TRANSLATE_NOOP("Explanations",
            "In each training step every input is dropped (set to zero) with this "
            "probability, so the network cannot rely on any single input. Keep it low, about "
            "0.2, so most inputs survive. When the model predicts, nothing is dropped. Use it "
            "against overfitting; training takes longer to converge.")),
    "model.dropout": _e(
        QT_TRANSLATE_NOOP("Explanations", "Hidden dropout"),
        QT_TRANSLATE_NOOP("Explanations",
            "In each training step every hidden unit is dropped with this probability, so "
            "each step trains a different thinned network that shares the same weights; the "
            "result behaves like an average of many networks. About 0.5 is typical for "
            "hidden layers. Nothing is dropped when predicting. Expect a noisier training "
            "loss and slower convergence, and a smaller gap to the validation loss.")),
    "model.norm": _e(
        QT_TRANSLATE_NOOP("Explanations", "Normalisation layers"),
        QT_TRANSLATE_NOOP("Explanations",
            "Layers that rescale the values inside the network, which often lets it train "
            "faster and with a higher learning rate. BatchNorm normalises each unit over the "
            "batch: it works poorly with tiny batches and behaves differently in training and "
            "prediction. LayerNorm normalises over the units of each single sample and does "
            "not depend on the batch size."),
        QT_TRANSLATE_NOOP("Explanations", "Rescale values between layers (BatchNorm, "
                                          "LayerNorm).")),
    # -- training ----------------------------------------------------------------------------
    "run.epochs": _e(
        QT_TRANSLATE_NOOP("Explanations", "Epochs"),
        QT_TRANSLATE_NOOP("Explanations",
            "One epoch is one pass of the whole training set through the network. One pass is "
            "not enough: training improves step by step, so it runs many epochs. Too few and "
            "the network underfits (both losses stay high); too many and it overfits: the "
            "training loss keeps falling while the validation loss turns upward. Watch the "
            "validation loss, or let early stopping decide.")),
    "run.batch_size": _e(
        QT_TRANSLATE_NOOP("Explanations", "Batch size"),
        QT_TRANSLATE_NOOP("Explanations",
            "How many samples are used for one weight update (one iteration). Iterations per "
            "epoch = training samples / batch size, rounded up: 1,050 samples in batches of "
            "100 is 11 iterations. Small batches (8 to 64) need less memory and give many "
            "noisy updates per epoch. Large batches give fewer, smoother updates and use the "
            "hardware better, but need more memory and often generalise worse (a gap "
            "between training and validation loss). 32 is a common start.")),
    "run.drop_last": _e(
        QT_TRANSLATE_NOOP("Explanations", "Drop the last partial batch"),
        QT_TRANSLATE_NOOP("Explanations",
            "When the training set does not divide evenly, the last batch of each epoch is "
            "smaller. With this on it is skipped: 1,050 samples in batches of 100 give 10 "
            "iterations instead of 11. Useful with BatchNorm, which is unstable on tiny "
            "batches. The skipped samples differ each epoch when the data is shuffled."),
        QT_TRANSLATE_NOOP("Explanations", "Skip the smaller last batch of each epoch.")),
    "optim.optimizer": _e(
        QT_TRANSLATE_NOOP("Explanations", "Optimizer"),
        QT_TRANSLATE_NOOP("Explanations",
            "The rule that turns gradients into weight changes. SGD steps straight down the "
            "gradient of each batch. Momentum keeps a running average of past gradients, "
            "which smooths the direction and damps zig-zagging. RMSprop and Adam give every "
            "weight its own step size from the size of its recent gradients; Adam (or AdamW) "
            "is a good default, usually with a learning rate near 0.001."),
        QT_TRANSLATE_NOOP("Explanations", "How gradients become weight updates.")),
    "optim.lr": _e(
        QT_TRANSLATE_NOOP("Explanations", "Learning rate"),
        QT_TRANSLATE_NOOP("Explanations",
            "The size of each step downhill. Too high and the loss jumps around, grows or "
            "becomes NaN; too low and it falls very slowly. Typical values: about 0.001 for "
            "Adam, 0.01 to 0.1 for SGD. If the loss curve explodes, divide by 10; if it "
            "barely moves, multiply by 3 to 10.")),
    "optim.momentum": _e(
        QT_TRANSLATE_NOOP("Explanations", "Momentum"),
        QT_TRANSLATE_NOOP("Explanations",
            "How much of the previous update is carried into the next one, like a ball "
            "rolling downhill. 0.9 is the usual value. It speeds up progress along gentle "
            "slopes and damps oscillation across steep ones. Too close to 1 and the updates "
            "overshoot."),
        QT_TRANSLATE_NOOP("Explanations", "Share of the previous update carried on.")),
    "optim.nesterov": _e(
        QT_TRANSLATE_NOOP("Explanations", "Nesterov momentum"),
        QT_TRANSLATE_NOOP("Explanations",
            "A variant of momentum that looks ahead: the gradient is taken where the momentum "
            "is about to carry the weights. It often converges a little faster and overshoots "
            "less. It only applies to SGD with momentum."),
        QT_TRANSLATE_NOOP("Explanations", "Momentum that looks one step ahead.")),
    "optim.weight_decay": _e(
        QT_TRANSLATE_NOOP("Explanations", "Weight decay"),
        QT_TRANSLATE_NOOP("Explanations",
            "Pulls every weight a little towards zero at each step, which keeps the network "
            "simple and fights overfitting. Typical values are 0.0001 to 0.01 (AdamW about "
            "0.01); 0 is off. Too much and the network underfits: both losses stay high."),
        QT_TRANSLATE_NOOP("Explanations", "Shrink weights towards zero (regularisation).")),
    "optim.schedule": _e(
        QT_TRANSLATE_NOOP("Explanations", "Learning-rate schedule"),
        QT_TRANSLATE_NOOP("Explanations",
            "Lowers the learning rate as training goes on: big steps early to make progress, "
            "small steps late to settle into a minimum. Step multiplies it by a factor every "
            "few epochs; cosine glides it to zero by the last epoch; lower on plateau cuts it "
            "when the validation loss stops improving. Constant keeps it as set."),
        QT_TRANSLATE_NOOP("Explanations", "How the learning rate changes during training.")),
    "optim.step_size": _e(
        QT_TRANSLATE_NOOP("Explanations", "Every"),
        QT_TRANSLATE_NOOP("Explanations",
            "For the step schedule: after this many epochs the learning rate is multiplied "
            "by the factor, again and again. For example every 10 epochs by 0.1. Too often "
            "and the learning rate becomes tiny before the network has learned much."),
        QT_TRANSLATE_NOOP("Explanations", "Epochs between learning-rate cuts.")),
    "optim.gamma": _e(
        QT_TRANSLATE_NOOP("Explanations", "Factor"),
        QT_TRANSLATE_NOOP("Explanations",
            "What the learning rate is multiplied by at each cut: 0.1 divides it by ten, 0.5 "
            "halves it. Gentler factors (0.5) need more cuts. Harsh ones (0.1) give a visible "
            "drop in the loss curve right after the cut."),
        QT_TRANSLATE_NOOP("Explanations", "Multiplier applied to the learning rate at a "
                                          "cut.")),
    "optim.plateau_patience": _e(
        QT_TRANSLATE_NOOP("Explanations", "Plateau patience"),
        QT_TRANSLATE_NOOP("Explanations",
            "For lower on plateau: how many epochs without improvement of the validation loss "
            "to wait before cutting the learning rate. A few epochs (2 to 10) is usual. Keep it "
            "smaller than the early-stopping patience, or training stops before the rate is "
            "ever lowered."),
        QT_TRANSLATE_NOOP("Explanations", "Epochs without improvement before a cut.")),
    "run.patience": _e(
        QT_TRANSLATE_NOOP("Explanations", "Early stopping"),
        QT_TRANSLATE_NOOP("Explanations",
            "Stops training when the validation loss has not improved for this many epochs, "
            "and keeps the weights of the best epoch. It is the usual cure for too many "
            "epochs. 5 to 20 is typical: too small and a noisy curve stops training early; "
            "off trains every epoch. It needs a validation split.")),
    "run.seed": _e(
        QT_TRANSLATE_NOOP("Explanations", "Random seed"),
        QT_TRANSLATE_NOOP("Explanations",
            "The starting point of all randomness: the data split, the first weights, the "
            "shuffling and dropout. The same seed with the same settings gives the same run, "
            "so you can compare settings fairly. Change it to see how much of a result is "
            "luck.")),
    # -- device ------------------------------------------------------------------------------
    "run.device": _e(
        QT_TRANSLATE_NOOP("Explanations", "Device"),
        QT_TRANSLATE_NOOP("Explanations",
            "Where the arithmetic runs. A GPU does thousands of independent multiplications at "
            "once, so large networks and images train many times faster on it. Small networks "
            "on 2-D points can be as fast on the CPU, since moving tiny batches to a GPU has "
            "its own cost. The best device found is chosen first.")),
    "run.compile": _e(
        QT_TRANSLATE_NOOP("Explanations", "Compile the model"),
        QT_TRANSLATE_NOOP("Explanations",
            "Translates the network into optimised code before training (torch.compile). The "
            "first iterations wait for the compiler, sometimes for a minute; afterwards each "
            "iteration can be faster, mostly on a GPU. Worth it for long runs, not for quick "
            "experiments.")),
    "run.amp": _e(
        QT_TRANSLATE_NOOP("Explanations", "Mixed precision"),
        QT_TRANSLATE_NOOP("Explanations",
            "Computes most of the forward pass with 16-bit numbers (bfloat16) instead of "
            "32-bit ones, where that is safe. Recent GPUs do that much faster and it halves "
            "the memory of activations. The loss curve may be slightly noisier; on a CPU it "
            "rarely helps.")),
    # -- run controls ------------------------------------------------------------------------
    "controls.run": _e(
        QT_TRANSLATE_NOOP("Explanations", "Start, pause, stop"),
        QT_TRANSLATE_NOOP("Explanations",
            "Start trains a network with the settings above; they are frozen for the run. "
            "Pause halts between two iterations and resumes where it was. Stop ends after the "
            "current iteration and keeps the model, so you can save it or try it. The plots "
            "show every iteration and every epoch as they happen.")),
    "controls.continue": _e(
        QT_TRANSLATE_NOOP("Explanations", "Continue from the current model"),
        QT_TRANSLATE_NOOP("Explanations",
            "Starts from the weights of the last run (or the opened model file) instead of "
            "fresh random ones. Use it to train some more epochs, or to go on with a smaller "
            "learning rate. The layers must stay the same; data and training settings may "
            "change.")),
}


def translate(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def title(key: str) -> str:
    """The field's name in the language now in use."""
    return translate(EXPLANATIONS[key].title)


def text(key: str) -> str:
    """The explanation in the language now in use (looked up when it is shown)."""
    return translate(EXPLANATIONS[key].text)


def tip(key: str) -> str:
    """The one-line tooltip, or "" where the panel has its own."""
    short = EXPLANATIONS[key].tip
    return translate(short) if short else ""


def object_name(key: str) -> str:
    """``run.batch_size`` -> ``explain_batch_size``: the "?" button's stable name."""
    return "explain_" + key.rsplit(".", 1)[-1]
