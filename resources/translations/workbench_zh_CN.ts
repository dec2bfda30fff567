<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>BoundaryPanel</name>
    <message>
        <source>&lt;b&gt;Decision boundary&lt;/b&gt;</source>
        <extracomment>drawing mode: paint a point of the chosen class here (x, y in the plane's units) drawing mode: remove the painted point nearest to (x, y)</extracomment>
        <translation>&lt;b&gt;决策边界&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Each place of the plane coloured by the class the model predicts there; the paler the colour, the less sure the model is. Circles: training points; squares: validation points.</source>
        <translation>平面上每个位置按模型在该处预测的类别着色；颜色越浅，模型越不确定。圆点：训练集样本；方块：验证集样本。</translation>
    </message>
    <message>
        <source>Points to show</source>
        <translation>显示的样本点</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练集</translation>
    </message>
    <message>
        <source>Validation</source>
        <translation>验证集</translation>
    </message>
    <message>
        <source>Both</source>
        <translation>两者</translation>
    </message>
    <message>
        <source>Which data to draw over the plane: the training points, the validation points, or both.</source>
        <translation>在平面上画出哪些数据：训练集样本点、验证集样本点，或两者都画。</translation>
    </message>
    <message>
        <source>Decision boundary</source>
        <translation>决策边界</translation>
    </message>
    <message>
        <source>Start training to watch the decision boundary form.</source>
        <translation>开始训练，即可看到决策边界逐步形成。</translation>
    </message>
    <message>
        <source>The decision boundary needs 2 input features: it is drawn for classification data with exactly two (spiral, moons, circles, xor, blobs, or a CSV file with two feature columns).</source>
        <translation>决策边界需要 2 个输入特征：只为恰好有两个特征的分类数据绘制（螺旋、双月、同心圆、异或、团簇，或含两个特征列的 CSV 文件）。</translation>
    </message>
</context>
<context>
    <name>ClassCountsChart</name>
    <message>
        <source>Samples per class</source>
        <translation>每个类别的样本数</translation>
    </message>
    <message>
        <source>Samples per class (training + validation):</source>
        <translation>每个类别的样本数（训练 + 验证）：</translation>
    </message>
    <message>
        <source>{name}: {train} + {val}</source>
        <translation>{name}：{train} + {val}</translation>
    </message>
    <message>
        <source>and {n} more</source>
        <translation>以及另外 {n} 个</translation>
    </message>
</context>
<context>
    <name>CnnPanel</name>
    <message>
        <source>&lt;b&gt;Inside the CNN&lt;/b&gt;</source>
        <translation>&lt;b&gt;CNN 内部&lt;/b&gt;</translation>
    </message>
    <message>
        <source>First convolution's filters</source>
        <translation>第一个卷积层的滤波器</translation>
    </message>
    <message>
        <source>Validation sample</source>
        <translation>验证样本</translation>
    </message>
    <message>
        <source>Chosen sample</source>
        <translation>所选样本</translation>
    </message>
    <message>
        <source>Sample:</source>
        <translation>样本：</translation>
    </message>
    <message>
        <source>First convolution: {n} filters, {kh}x{kw}. Each colour channel's weights in its colour; grey: 0.</source>
        <translation>第一个卷积层：{n} 个滤波器，{kh}x{kw}。每个颜色通道的权重以其颜色显示；灰色：0。</translation>
    </message>
    <message>
        <source>First convolution: {n} filters, {kh}x{kw}. Red: positive weights, blue: negative.</source>
        <translation>第一个卷积层：{n} 个滤波器，{kh}x{kw}。红色：正权重，蓝色：负权重。</translation>
    </message>
    <message>
        <source>{n} filters, {k}x{k} → {c} x {h} x {w}</source>
        <translation>{n} 个滤波器，{k}x{k} → {c} x {h} x {w}</translation>
    </message>
    <message>
        <source>max-pool {k} → {c} x {h} x {w}</source>
        <translation>最大池化 {k} → {c} x {h} x {w}</translation>
    </message>
    <message>
        <source>average-pool {k} → {c} x {h} x {w}</source>
        <translation>平均池化 {k} → {c} x {h} x {w}</translation>
    </message>
</context>
<context>
    <name>CnnView</name>
    <message>
        <source>Inside the CNN</source>
        <translation>CNN 内部</translation>
    </message>
    <message>
        <source>Inside the &amp;CNN (filters, feature maps)</source>
        <translation>CNN 内部(&amp;C)（滤波器、特征图）</translation>
    </message>
    <message>
        <source>The filters and feature maps appear as soon as the first iterations are done.</source>
        <translation>完成最初几次迭代后，滤波器和特征图就会出现。</translation>
    </message>
    <message>
        <source>Epoch {epoch}, iteration {iteration}. Grey: one scale per layer, white its largest value.</source>
        <translation>第 {epoch} 轮，第 {iteration} 次迭代。灰度：每层一个标尺，白色为该层的最大值。</translation>
    </message>
    <message>
        <source>Open the model's data to see its feature maps.</source>
        <translation>打开模型的数据即可查看它的特征图。</translation>
    </message>
    <message>
        <source>Reading the model's data...</source>
        <translation>正在读取模型的数据...</translation>
    </message>
    <message>
        <source>The model's data could not be read ({error}), so no feature maps are drawn. Choose the model's data in the form to see them.</source>
        <translation>无法读取模型的数据（{error}），因此不绘制特征图。请在表单中选择该模型的数据以查看特征图。</translation>
    </message>
    <message>
        <source>The data in the form has other inputs than the model, so no feature maps are drawn.</source>
        <translation>表单中的数据与模型的输入不同，因此不绘制特征图。</translation>
    </message>
    <message>
        <source>The data has no validation samples to show.</source>
        <translation>该数据没有可显示的验证样本。</translation>
    </message>
    <message>
        <source>The trained model. Grey: one scale per layer, white its largest value.</source>
        <translation>训练好的模型。灰度：每层一个标尺，白色为该层的最大值。</translation>
    </message>
    <message>
        <source>no validation samples</source>
        <translation>没有验证样本</translation>
    </message>
    <message>
        <source>of {count} (validation)</source>
        <translation>/ 共 {count} 个（验证集）</translation>
    </message>
    <message>
        <source>of {count} (validation), class “{name}”</source>
        <translation>/ 共 {count} 个（验证集），类别“{name}”</translation>
    </message>
    <message>
        <source>This sample's feature maps appear with the next live picture.</source>
        <translation>此样本的特征图将随下一幅实时画面出现。</translation>
    </message>
    <message>
        <source>Train a CNN on this data, or open one, to look inside it.</source>
        <translation>在此数据上训练一个 CNN，或打开一个 CNN 模型，即可查看其内部。</translation>
    </message>
</context>
<context>
    <name>ColumnTable</name>
    <message>
        <source>number</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>free text (left out)</source>
        <translation>自由文本（不使用）</translation>
    </message>
    <message>
        <source>identifier (left out)</source>
        <translation>标识符（不使用）</translation>
    </message>
    <message>
        <source>constant (left out)</source>
        <translation>常量（不使用）</translation>
    </message>
    <message>
        <source>left out</source>
        <translation>不使用</translation>
    </message>
    <message>
        <source>target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>the target</source>
        <translation>目标列</translation>
    </message>
    <message>
        <source>no values</source>
        <translation>没有值</translation>
    </message>
    <message>
        <source>one value only</source>
        <translation>只有一个值</translation>
    </message>
    <message>
        <source>an unnamed first column (row numbers)</source>
        <translation>没有名称的第一列（行号）</translation>
    </message>
    <message>
        <source>dates</source>
        <translation>内容为日期</translation>
    </message>
    <message>
        <source>a row counter (1, 2, 3, ...)</source>
        <translation>行计数（1, 2, 3, ...）</translation>
    </message>
    <message>
        <source>a different whole number in every row, named as an id</source>
        <translation>每行都是不同的整数，列名像 ID</translation>
    </message>
    <message>
        <source>numbers</source>
        <translation>内容为数字</translation>
    </message>
    <message>
        <source>free text: a different value in every row</source>
        <translation>自由文本：每行的值都不同</translation>
    </message>
    <message>
        <source>a different value in every row</source>
        <translation>每行的值都不同</translation>
    </message>
    <message>
        <source>text with repeating values</source>
        <translation>有重复值的文本</translation>
    </message>
    <message>
        <source>free text: mostly different values</source>
        <translation>自由文本：大多数值都不同</translation>
    </message>
    <message>
        <source>chosen by you</source>
        <translation>由你选择</translation>
    </message>
    <message>
        <source>text labels</source>
        <translation>文本标签</translation>
    </message>
    <message>
        <source>few whole numbers (at most 10 different)</source>
        <translation>少量整数（最多 10 种不同的值）</translation>
    </message>
    <message>
        <source>classification</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>regression</source>
        <translation>回归</translation>
    </message>
    <message>
        <source>Column {name} counts rows and follows the target (rank correlation {rho}): it would predict well here and not on new data. Leave it out (role: ignored) unless it really means something.</source>
        <translation>列 {name} 是行计数，且随目标值变化（秩相关系数 {rho}）：它在这里预测得很好，在新数据上却不行。除非它确有意义，否则请把它的角色设为“不使用”。</translation>
    </message>
    <message>
        <source>Columns of the table and their roles</source>
        <extracomment>a role was picked for a column: (column, role), role "" = back to the inferred one</extracomment>
        <translation>表格的列及其角色</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Missing</source>
        <translation>缺失</translation>
    </message>
    <message>
        <source>Distinct</source>
        <translation>不同值</translation>
    </message>
    <message>
        <source>Examples</source>
        <translation>示例</translation>
    </message>
    <message>
        <source>The column's name in the file's header row.</source>
        <translation>该列在文件表头中的名称。</translation>
    </message>
    <message>
        <source>What the column is used as. Pick another role to change it; the next run uses it.</source>
        <translation>该列的用途。选择其他角色即可更改；下次训练时生效。</translation>
    </message>
    <message>
        <source>Empty cells. Training fills them in and tells the network which were empty.</source>
        <translation>空单元格的数量。训练时会填补它们，并告诉网络哪些原本是空的。</translation>
    </message>
    <message>
        <source>How many different values the column holds.</source>
        <translation>该列有多少种不同的值。</translation>
    </message>
    <message>
        <source>The first different values of the column.</source>
        <translation>该列最先出现的几个不同值。</translation>
    </message>
    <message>
        <source>Each column of the file and how training uses it. Point at a column's name to see why it has its role.</source>
        <translation>文件的每一列，以及训练如何使用它。把鼠标指向列名，可以看到它为什么是这个角色。</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>The target: the column the network learns to predict. Choose another one under Target column.</source>
        <translation>目标：网络要学习预测的列。可以在“目标列”中选择其他列。</translation>
    </message>
    <message>
        <source>Role of column {name}</source>
        <translation>列 {name} 的角色</translation>
    </message>
    <message>
        <source>{role}: chosen by you. On its own Workbench would use it as {inferred} ({reason}).</source>
        <translation>{role}：由你选择。Workbench 自己会把它用作“{inferred}”（{reason}）。</translation>
    </message>
    <message>
        <source>{role}: {reason}.</source>
        <translation>{role}：{reason}。</translation>
    </message>
</context>
<context>
    <name>ComparePanel</name>
    <message>
        <source>Batch sizes</source>
        <translation>批大小</translation>
    </message>
    <message>
        <source>Batch sizes to train, separated by commas</source>
        <translation>要训练的批大小，用逗号分隔</translation>
    </message>
    <message>
        <source>Compare batch sizes</source>
        <translation>比较批大小</translation>
    </message>
    <message>
        <source>Compare optimizers</source>
        <translation>比较优化器</translation>
    </message>
    <message>
        <source>Compare dropout rates</source>
        <translation>比较 Dropout（丢弃）率</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop the comparison</source>
        <translation>停止比较</translation>
    </message>
    <message>
        <source>Stop the run under way and cancel the rest</source>
        <translation>停止当前训练并取消其余训练</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>比较</translation>
    </message>
    <message>
        <source>Comparison status</source>
        <translation>比较状态</translation>
    </message>
    <message>
        <source>Comparison results</source>
        <translation>比较结果</translation>
    </message>
    <message>
        <source>Setting</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Iterations per epoch</source>
        <translation>每轮次迭代数</translation>
    </message>
    <message>
        <source>Seconds per epoch</source>
        <translation>每轮次秒数</translation>
    </message>
    <message>
        <source>Total seconds</source>
        <translation>总秒数</translation>
    </message>
    <message>
        <source>Final training loss</source>
        <translation>最终训练集损失</translation>
    </message>
    <message>
        <source>Final validation loss</source>
        <translation>最终验证集损失</translation>
    </message>
    <message>
        <source>Validation accuracy (%)</source>
        <translation>验证集准确率（%）</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>(SGD, SGD with momentum, RMSprop and Adam, all at the form's learning rate)</source>
        <translation>（SGD、带动量的 SGD、RMSprop 和 Adam，都使用表单中的学习率）</translation>
    </message>
    <message>
        <source>(hidden-layer Dropout off, 0.2 and 0.5)</source>
        <translation>（隐藏层 Dropout：关、0.2 和 0.5）</translation>
    </message>
    <message>
        <source>Each button trains the settings in the form several times, one run after another, changing only one thing (same data, seed and epochs; batch sizes larger than the training set are left out). The Training tab shows each run as it trains; the table and the curves below put the runs side by side, and every run is kept in the History tab.</source>
        <translation>每个按钮都会用表单中的设置依次训练多次，每次只改变一项（数据、随机种子和轮次都相同；大于训练集的批大小会被略过）。“训练”选项卡实时显示每次训练；下方的表格和曲线把这些训练并排比较，每次训练都会保存在“历史”选项卡中。</translation>
    </message>
    <message>
        <source>running (epoch {n})</source>
        <translation>运行中（第 {n} 轮次）</translation>
    </message>
    <message>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>early stopped</source>
        <translation>提前停止</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>not started</source>
        <translation>未开始</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
</context>
<context>
    <name>ConceptPanel</name>
    <message>
        <source>Epoch, batch, iteration</source>
        <translation>轮次、批次、迭代</translation>
    </message>
    <message>
        <source>1 epoch = {total} iterations.</source>
        <translation>1 轮 = {total} 次迭代。</translation>
    </message>
    <message>
        <source>{epochs} epochs = {total} iterations.</source>
        <translation>{epochs} 轮 = {total} 次迭代。</translation>
    </message>
    <message>
        <source>Training samples: not known yet (the data is still being read). With batch size {batch}, iterations per epoch = training samples ÷ {batch}, rounded {direction}; {epochs} epochs = {epochs} times that.</source>
        <translation>训练样本数：尚未知道（数据还在读取）。批大小为 {batch} 时，每轮迭代次数 = 训练样本数 ÷ {batch}，{direction}取整；{epochs} 轮 = 它的 {epochs} 倍。</translation>
    </message>
    <message>
        <source>down</source>
        <translation>向下</translation>
    </message>
    <message>
        <source>up</source>
        <translation>向上</translation>
    </message>
    <message>
        <source>{n} training samples ÷ batch size {batch}: the batch is larger than the whole training set. Use a batch size of {n} or less ({n} means one iteration per epoch, full-batch training).</source>
        <translation>{n} 个训练样本 ÷ 批大小 {batch}：批次比整个训练集还大。请把批大小设为 {n} 或更小（{n} 表示每轮一次迭代，即全批量训练）。</translation>
    </message>
    <message>
        <source>{n} training samples ÷ batch size {batch} = {ipe} iterations per epoch</source>
        <translation>{n} 个训练样本 ÷ 批大小 {batch} = 每轮 {ipe} 次迭代</translation>
    </message>
    <message>
        <source>{n} training samples ÷ batch size {batch} = 1 iteration per epoch</source>
        <translation>{n} 个训练样本 ÷ 批大小 {batch} = 每轮 1 次迭代</translation>
    </message>
    <message>
        <source>(1 full batch)</source>
        <translation>（1 个整批）</translation>
    </message>
    <message>
        <source>({full} full batches)</source>
        <translation>（{full} 个整批）</translation>
    </message>
    <message>
        <source>(1 full batch; the last {rest} samples are skipped each epoch)</source>
        <translation>（1 个整批；每轮跳过最后 {rest} 个样本）</translation>
    </message>
    <message>
        <source>({full} full batches; the last {rest} samples are skipped each epoch)</source>
        <translation>（{full} 个整批；每轮跳过最后 {rest} 个样本）</translation>
    </message>
    <message>
        <source>(1 full batch + 1 of {rest})</source>
        <translation>（1 个整批 + 1 个 {rest} 样本的批次）</translation>
    </message>
    <message>
        <source>({full} full batches + 1 of {rest})</source>
        <translation>（{full} 个整批 + 1 个 {rest} 样本的批次）</translation>
    </message>
    <message>
        <source>{head} {detail}. {epochs_text}</source>
        <translation>{head}{detail}。{epochs_text}</translation>
    </message>
    <message>
        <source>One epoch: each box is {per} batches of {batch} samples.</source>
        <translation>一轮：每个方格是 {per} 个批次，每批 {batch} 个样本。</translation>
    </message>
    <message>
        <source>One epoch: each box is a batch of {batch} samples; the narrow hatched one is the last batch of {last}.</source>
        <translation>一轮：每个方格是一个 {batch} 样本的批次；窄的斜线方格是最后一批，{last} 个样本。</translation>
    </message>
    <message>
        <source>One epoch: each box is a batch of {batch} samples; the dashed gap is the {rest} samples left out.</source>
        <translation>一轮：每个方格是一个 {batch} 样本的批次；虚线空隙是被舍弃的 {rest} 个样本。</translation>
    </message>
    <message>
        <source>One epoch: each box is a batch of {batch} samples.</source>
        <translation>一轮：每个方格是一个 {batch} 样本的批次。</translation>
    </message>
    <message>
        <source>One iteration = one batch forward and backward, then one weight update.</source>
        <translation>一次迭代 = 一个批次的前向和反向传播，再加一次权重更新。</translation>
    </message>
    <message>
        <source>no batch done yet</source>
        <translation>尚未完成任何批次</translation>
    </message>
    <message>
        <source>Epoch {epoch} of {epochs}</source>
        <translation>第 {epoch} / {epochs} 轮</translation>
    </message>
    <message>
        <source>{done} of {epochs} epochs complete</source>
        <translation>已完成 {done}/{epochs} 轮</translation>
    </message>
    <message>
        <source>{batches} of {all} batches of epoch {epoch}</source>
        <translation>第 {epoch} 轮的 {batches}/{all} 个批次</translation>
    </message>
    <message>
        <source>batch {batch} of {batches}</source>
        <translation>批次 {batch} / {batches}</translation>
    </message>
    <message>
        <source>iteration {iteration} of {total}</source>
        <translation>迭代 {iteration} / {total}</translation>
    </message>
    <message>
        <source> · </source>
        <translation> · </translation>
    </message>
</context>
<context>
    <name>ConfigForm</name>
    <message>
        <source>Show advanced settings</source>
        <extracomment>the background preview of the data finished (read it from ``preview``) the person ticked or cleared "Show advanced settings"</extracomment>
        <translation>显示高级设置</translation>
    </message>
    <message>
        <source>Seed, weight decay, learning-rate schedule, normalisation layers, augmentation details and device options. Hidden settings keep their values.</source>
        <translation>随机种子、权重衰减、学习率调度、归一化层、数据增强细节和设备选项。隐藏的设置保留其取值。</translation>
    </message>
    <message>
        <source>Choose a file or folder to train on.</source>
        <translation>选择用于训练的文件或文件夹。</translation>
    </message>
</context>
<context>
    <name>ConfusionMatrixView</name>
    <message>
        <source>Confusion matrix</source>
        <translation>混淆矩阵</translation>
    </message>
    <message>
        <source>Predicted class</source>
        <translation>预测类别</translation>
    </message>
    <message>
        <source>Rows: true class · colour: share of the row</source>
        <translation>行：真实类别 · 颜色：占该行的比例</translation>
    </message>
    <message>
        <source>True class</source>
        <translation>真实类别</translation>
    </message>
    <message>
        <source>True class {true}, predicted correctly: {count} of {total} samples ({share} %).</source>
        <translation>真实类别 {true}，预测正确：{total} 个样本中的 {count} 个（{share} %）。</translation>
    </message>
    <message>
        <source>True class {true}, predicted as {predicted}: {count} of {total} samples ({share} %).</source>
        <translation>真实类别 {true}，被预测为 {predicted}：{total} 个样本中的 {count} 个（{share} %）。</translation>
    </message>
    <message>
        <source>Click to list them.</source>
        <translation>点击列出这些样本。</translation>
    </message>
</context>
<context>
    <name>DataPanel</name>
    <message>
        <source>Spiral (2-D points, synthetic)</source>
        <translation>螺旋（二维点，合成）</translation>
    </message>
    <message>
        <source>Moons (2-D points, synthetic)</source>
        <translation>双月（二维点，合成）</translation>
    </message>
    <message>
        <source>Circles (2-D points, synthetic)</source>
        <translation>同心圆（二维点，合成）</translation>
    </message>
    <message>
        <source>XOR (2-D points, synthetic)</source>
        <translation>异或 XOR（二维点，合成）</translation>
    </message>
    <message>
        <source>Blobs (2-D points, synthetic)</source>
        <translation>团簇（二维点，合成）</translation>
    </message>
    <message>
        <source>Digits (8x8 images, 10 classes)</source>
        <translation>手写数字（8x8 图像，10 类）</translation>
    </message>
    <message>
        <source>Iris (4 measurements, 3 species)</source>
        <translation>鸢尾花（4 项测量，3 个品种）</translation>
    </message>
    <message>
        <source>Wine (13 measurements, 3 cultivars)</source>
        <translation>葡萄酒（13 项测量，3 个品种）</translation>
    </message>
    <message>
        <source>Breast cancer (30 features, 2 classes)</source>
        <translation>乳腺癌（30 个特征，2 类）</translation>
    </message>
    <message>
        <source>Diabetes (10 features, regression)</source>
        <translation>糖尿病（10 个特征，回归）</translation>
    </message>
    <message>
        <source>CSV file</source>
        <translation>CSV 文件</translation>
    </message>
    <message>
        <source>Image folder</source>
        <translation>图像文件夹</translation>
    </message>
    <message>
        <source>Draw your own (2-D points)</source>
        <translation>自己绘制（二维点）</translation>
    </message>
    <message>
        <source>Spiral</source>
        <translation>螺旋</translation>
    </message>
    <message>
        <source>Moons</source>
        <translation>双月</translation>
    </message>
    <message>
        <source>Circles</source>
        <translation>同心圆</translation>
    </message>
    <message>
        <source>XOR</source>
        <translation>异或 XOR</translation>
    </message>
    <message>
        <source>Blobs</source>
        <translation>团簇</translation>
    </message>
    <message>
        <source>Digits</source>
        <translation>手写数字</translation>
    </message>
    <message>
        <source>Iris</source>
        <translation>鸢尾花</translation>
    </message>
    <message>
        <source>Wine</source>
        <translation>葡萄酒</translation>
    </message>
    <message>
        <source>Breast cancer</source>
        <translation>乳腺癌</translation>
    </message>
    <message>
        <source>Diabetes</source>
        <translation>糖尿病</translation>
    </message>
    <message>
        <source>Drawing</source>
        <translation>绘图</translation>
    </message>
    <message>
        <source>Data</source>
        <extracomment>a table file the person chose could not be read: (path, the exception) settings were put in whole (``set_config``: a model's, a file's), without ``changed``</extracomment>
        <translation>数据</translation>
    </message>
    <message>
        <source>Data set</source>
        <translation>数据集</translation>
    </message>
    <message>
        <source>Open CSV...</source>
        <translation>打开 CSV...</translation>
    </message>
    <message>
        <source>Open a CSV file</source>
        <translation>打开一个 CSV 文件</translation>
    </message>
    <message>
        <source>Open image folder...</source>
        <translation>打开图像文件夹...</translation>
    </message>
    <message>
        <source>Open a folder of images</source>
        <translation>打开一个图像文件夹</translation>
    </message>
    <message>
        <source>Train on images sorted into one sub-folder per class.</source>
        <translation>用按类别分放在子文件夹中的图像训练。</translation>
    </message>
    <message>
        <source>Target column</source>
        <translation>目标列</translation>
    </message>
    <message>
        <source>The CSV column the network learns to predict; all other columns are its inputs.</source>
        <translation>网络要学习预测的 CSV 列；其余各列都是输入。</translation>
    </message>
    <message>
        <source>Sheet</source>
        <translation>工作表</translation>
    </message>
    <message>
        <source>The sheet of the Excel workbook to train on.</source>
        <translation>用于训练的 Excel 工作簿中的工作表。</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>Classification</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>Regression</source>
        <translation>回归</translation>
    </message>
    <message>
        <source>Classification predicts one of the target column's values; regression predicts a number. Automatic decides from the target column, and says what it chose.</source>
        <translation>分类预测目标列中的某个值；回归预测一个数值。“自动”根据目标列来决定，并显示它的选择。</translation>
    </message>
    <message>
        <source>Samples</source>
        <translation>样本数</translation>
    </message>
    <message>
        <source>Noise</source>
        <translation>噪声</translation>
    </message>
    <message>
        <source>Classes</source>
        <translation>类别数</translation>
    </message>
    <message>
        <source>Image size</source>
        <translation>图像尺寸</translation>
    </message>
    <message>
        <source> px</source>
        <translation> 像素</translation>
    </message>
    <message>
        <source>Grey scale</source>
        <translation>灰度</translation>
    </message>
    <message>
        <source>Validation split</source>
        <translation>验证集比例</translation>
    </message>
    <message>
        <source>Share of the data held out to measure how well the network does on data it did not train on. 0 % means no validation (and no early stopping).</source>
        <translation>留出的数据比例，用来衡量网络在没训练过的数据上表现如何。0 % 表示不做验证（也不会提前停止）。</translation>
    </message>
    <message>
        <source>Class imbalance</source>
        <translation>类别不平衡</translation>
    </message>
    <message>
        <source>Use every sample once</source>
        <translation>每个样本用一次</translation>
    </message>
    <message>
        <source>Over-sample rare classes</source>
        <translation>对少数类过采样</translation>
    </message>
    <message>
        <source>Under-sample common classes</source>
        <translation>对多数类欠采样</translation>
    </message>
    <message>
        <source>Balance the classes per epoch: repeat rare samples, or draw a fresh subset of common ones each epoch.</source>
        <translation>每轮平衡各类别：重复少数类样本，或每轮从多数类中重新抽取一个子集。</translation>
    </message>
    <message>
        <source>Normalise inputs</source>
        <translation>输入归一化</translation>
    </message>
    <message>
        <source>Subtract the mean and divide by the standard deviation of each input, computed on the training split only.</source>
        <translation>每个输入减去均值再除以标准差（只在训练集上计算）。</translation>
    </message>
    <message>
        <source>Flip horizontally</source>
        <translation>水平翻转</translation>
    </message>
    <message>
        <source>Random crop</source>
        <translation>随机裁剪</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关</translation>
    </message>
    <message>
        <source>Fraction of the image kept by a random crop; 1 = off.</source>
        <translation>随机裁剪保留的图像比例；1 = 关闭。</translation>
    </message>
    <message>
        <source>Train on a table from a CSV, TSV or Excel file: numbers, categories and dates.</source>
        <translation>用 CSV、TSV 或 Excel 文件中的表格训练：可包含数字、类别和日期。</translation>
    </message>
    <message>
        <source>Rotation</source>
        <translation>旋转</translation>
    </message>
    <message>
        <source>Colour jitter</source>
        <translation>颜色抖动</translation>
    </message>
    <message>
        <source>Paint the points on the plane of the Training tab: a click adds a point of the chosen class, dragging adds several, a right-click removes the nearest.</source>
        <translation>在“训练”选项卡的平面上绘制数据点：单击添加一个所选类别的点，拖动添加多个点，右键单击删除最近的点。</translation>
    </message>
    <message>
        <source>Class balance</source>
        <translation>类别平衡</translation>
    </message>
    <message>
        <source>Augmentation (training split only)</source>
        <translation>数据增强（仅训练集）</translation>
    </message>
    <message>
        <source>Reading {file}...</source>
        <translation>正在读取 {file}...</translation>
    </message>
    <message>
        <source>{rows} rows, {dropped} left out (no target)</source>
        <translation>{rows} 行，其中 {dropped} 行未使用（没有目标值）</translation>
    </message>
    <message>
        <source>{rows} rows</source>
        <translation>{rows} 行</translation>
    </message>
    <message>
        <source>Excel sheet {sheet}</source>
        <translation>Excel 工作表 {sheet}</translation>
    </message>
    <message>
        <source>separator {separator}</source>
        <translation>分隔符 {separator}</translation>
    </message>
    <message>
        <source>decimal comma</source>
        <translation>小数点为逗号</translation>
    </message>
    <message>
        <source>tab</source>
        <translation>制表符</translation>
    </message>
    <message>
        <source>spaces</source>
        <translation>空格</translation>
    </message>
    <message>
        <source>Automatic: {task} ({reason})</source>
        <translation>自动：{task}（{reason}）</translation>
    </message>
    <message>
        <source>Reading the data...</source>
        <translation>正在读取数据...</translation>
    </message>
    <message>
        <source>{train} training and {val} validation samples, inputs {shape}</source>
        <translation>训练集 {train} 个、验证集 {val} 个样本，输入形状 {shape}</translation>
    </message>
    <message>
        <source>{name}: {train}/{val}</source>
        <translation>{name}：{train}/{val}</translation>
    </message>
    <message>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <source>, and {n} more</source>
        <translation>，另有 {n} 个</translation>
    </message>
    <message>
        <source>Per class (training/validation): {counts}</source>
        <translation>各类别（训练/验证）：{counts}</translation>
    </message>
    <message>
        <source>Regression: the network predicts a number.</source>
        <translation>回归：网络预测一个数值。</translation>
    </message>
</context>
<context>
    <name>DataView</name>
    <message>
        <source>&amp;Draw your own data</source>
        <translation>自己绘制数据(&amp;D)</translation>
    </message>
    <message>
        <source>Paint 2-D points of up to five classes on the plane and train on them.</source>
        <translation>在平面上绘制最多五个类别的二维点，并用它们训练。</translation>
    </message>
    <message>
        <source>The first training images of each class. (The decision boundary is drawn for data with two features.)</source>
        <translation>每个类别的前几张训练图像。（决策边界只针对具有两个特征的数据绘制。）</translation>
    </message>
    <message>
        <source>The data: {train} training points (circles) and {val} validation points (squares; the box above chooses which to show). Start training to colour the plane by the model's prediction.</source>
        <translation>数据：{train} 个训练点（圆形）和 {val} 个验证点（方形；用上方的选择框决定显示哪些）。开始训练后，平面会按模型的预测着色。</translation>
    </message>
    <message>
        <source>Click on the plane to paint points of the chosen class; drag to paint several; right-click removes the nearest.</source>
        <translation>在平面上单击以绘制所选类别的点；拖动可绘制多个点；右键单击删除最近的点。</translation>
    </message>
    <message>
        <source>{train} training points (circles) and {val} held out for validation (squares: {share} % of each class's points).</source>
        <translation>{train} 个训练点（圆形），{val} 个留作验证（方形：每个类别 {share}% 的点）。</translation>
    </message>
    <message>
        <source>Points painted now are trained on from the next epoch; the validation points stay as at Start.</source>
        <translation>现在绘制的点从下一个轮次起参与训练；验证点保持开始时的样子。</translation>
    </message>
    <message>
        <source>saving the drawing to {path}</source>
        <translation>将绘图保存到 {path}</translation>
    </message>
    <message>
        <source>Saved the drawing ({n} points) to {path}</source>
        <translation>已将绘图（{n} 个点）保存到 {path}</translation>
    </message>
    <message>
        <source>opening the drawing {path}</source>
        <translation>打开绘图 {path}</translation>
    </message>
    <message>
        <source>Opened the drawing {path} ({n} points)</source>
        <translation>已打开绘图 {path}（{n} 个点）</translation>
    </message>
    <message>
        <source>Save the drawing</source>
        <translation>保存绘图</translation>
    </message>
    <message>
        <source>Open a drawing</source>
        <translation>打开绘图</translation>
    </message>
    <message>
        <source>From epoch {epoch} the network trains on {n} drawn points: {ipe} iterations per epoch.</source>
        <translation>从第 {epoch} 轮起，网络在 {n} 个绘制的点上训练：每轮 {ipe} 次迭代。</translation>
    </message>
</context>
<context>
    <name>DevicePanel</name>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Detecting devices...</source>
        <translation>正在检测设备...</translation>
    </message>
    <message>
        <source>Where the network trains; the best one is chosen first.</source>
        <translation>网络在哪个设备上训练；默认选最快的。</translation>
    </message>
    <message>
        <source>Compile the model (torch.compile)</source>
        <translation>编译模型（torch.compile）</translation>
    </message>
    <message>
        <source>Compile the model</source>
        <translation>编译模型</translation>
    </message>
    <message>
        <source>Slower to start, faster per iteration on a GPU for long runs.</source>
        <translation>启动较慢，在 GPU 上长时间训练时每次迭代更快。</translation>
    </message>
    <message>
        <source>Mixed precision (bfloat16)</source>
        <translation>混合精度（bfloat16）</translation>
    </message>
    <message>
        <source>Mixed precision</source>
        <translation>混合精度</translation>
    </message>
    <message>
        <source>Computes the forward pass in bfloat16 where it is safe: faster on recent GPUs.</source>
        <translation>在安全的地方用 bfloat16 计算前向传播：在较新的 GPU 上更快。</translation>
    </message>
    <message>
        <source>Train on</source>
        <translation>训练设备</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
</context>
<context>
    <name>DrawBar</name>
    <message>
        <source>Paint:</source>
        <translation>绘制：</translation>
    </message>
    <message>
        <source>The class of the points that clicks on the plane add.</source>
        <translation>在平面上点击所添加的点的类别。</translation>
    </message>
    <message>
        <source>Paint class {n}</source>
        <translation>绘制类别 {n}</translation>
    </message>
    <message>
        <source>Clicks on the plane add points of class {n}.</source>
        <translation>在平面上点击会添加类别 {n} 的点。</translation>
    </message>
    <message>
        <source>Number of classes</source>
        <translation>类别数</translation>
    </message>
    <message>
        <source>classes: </source>
        <translation>类别数：</translation>
    </message>
    <message>
        <source>How many classes the drawing has (2 to 5).</source>
        <translation>绘图中的类别数（2 到 5）。</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Take back the last point added or removed (Ctrl+Z).</source>
        <translation>撤销上一次添加或删除的点（Ctrl+Z）。</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>Remove every point (Undo brings them back).</source>
        <translation>删除所有点（“撤销”可以恢复）。</translation>
    </message>
    <message>
        <source>Save...</source>
        <translation>保存...</translation>
    </message>
    <message>
        <source>Save the drawing as a CSV file (x, y, label).</source>
        <translation>将绘图保存为 CSV 文件（x, y, label）。</translation>
    </message>
    <message>
        <source>Open...</source>
        <translation>打开...</translation>
    </message>
    <message>
        <source>Open a drawing saved as a CSV file and paint on.</source>
        <translation>打开保存为 CSV 文件的绘图并继续绘制。</translation>
    </message>
</context>
<context>
    <name>EpochPlot</name>
    <message>
        <source>Loss and accuracy per epoch</source>
        <translation>每轮的损失和准确率</translation>
    </message>
    <message>
        <source>Epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>training loss</source>
        <translation>训练损失</translation>
    </message>
    <message>
        <source>validation loss</source>
        <translation>验证损失</translation>
    </message>
    <message>
        <source>Validation accuracy (%)</source>
        <translation>验证准确率（%）</translation>
    </message>
    <message>
        <source>best</source>
        <translation>最佳</translation>
    </message>
    <message>
        <source>validation accuracy</source>
        <translation>验证准确率</translation>
    </message>
    <message>
        <source>Early stopping: patience {left} of {total} left</source>
        <translation>早停：耐心值剩余 {left}/{total}</translation>
    </message>
    <message>
        <source>Restored the weights of epoch {epoch}</source>
        <translation>已恢复第 {epoch} 轮次的权重</translation>
    </message>
    <message>
        <source>Epoch {epoch}: training loss {train}</source>
        <translation>第 {epoch} 轮：训练损失 {train}</translation>
    </message>
    <message>
        <source>validation loss {val}</source>
        <translation>验证损失 {val}</translation>
    </message>
    <message>
        <source>validation accuracy {acc} %</source>
        <translation>验证准确率 {acc} %</translation>
    </message>
    <message>
        <source>best epoch</source>
        <translation>最佳轮次</translation>
    </message>
    <message>
        <source>validation loss above training and the gap growing: overfitting</source>
        <translation>验证集损失高于训练集且差距在扩大：过拟合</translation>
    </message>
    <message>
        <source>, </source>
        <translation>，</translation>
    </message>
</context>
<context>
    <name>EvaluationFeature</name>
    <message>
        <source>Evaluation</source>
        <translation>评估</translation>
    </message>
    <message>
        <source>Find &amp;learning rate...</source>
        <translation>寻找学习率(&amp;L)...</translation>
    </message>
    <message>
        <source>Try rising learning rates on fresh weights for one short pass and suggest one.</source>
        <translation>用全新的权重训练一小段、逐步提高学习率，并给出建议值。</translation>
    </message>
    <message>
        <source>Find learning rate</source>
        <translation>寻找学习率</translation>
    </message>
    <message>
        <source>Find...</source>
        <translation>寻找...</translation>
    </message>
    <message>
        <source>Other data was chosen: train a model on it, or open one, to see its evaluation here.</source>
        <translation>已选择了其他数据：用它训练一个模型或打开一个模型，即可在这里看到评估。</translation>
    </message>
    <message>
        <source>The data does not fit this model (other classes, a target of another kind or another input shape), so it cannot be evaluated on it.</source>
        <translation>数据与这个模型不相符（类别不同、目标的种类不同或输入形状不同），因此无法用它来评估。</translation>
    </message>
    <message>
        <source>There is no validation set to evaluate on: set a validation split above 0 and train again.</source>
        <translation>没有可用于评估的验证集：把验证集比例设为大于 0，然后重新训练。</translation>
    </message>
    <message>
        <source>The evaluation failed: {message}</source>
        <translation>评估失败：{message}</translation>
    </message>
    <message>
        <source>Fix the marked settings first: {problem}</source>
        <translation>请先修正标出的设置：{problem}</translation>
    </message>
    <message>
        <source>Learning rate set to {lr}.</source>
        <translation>学习率已设为 {lr}。</translation>
    </message>
</context>
<context>
    <name>EvaluationPanel</name>
    <message>
        <source>Evaluation summary</source>
        <translation>评估摘要</translation>
    </message>
    <message>
        <source>Class imbalance warning</source>
        <translation>类别不平衡警告</translation>
    </message>
    <message>
        <source>Numbers in the cells</source>
        <translation>格子中的数字</translation>
    </message>
    <message>
        <source>Counts</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Percent of the true class (row)</source>
        <translation>占真实类别的百分比（按行）</translation>
    </message>
    <message>
        <source>Figures per class</source>
        <translation>各类别指标</translation>
    </message>
    <message>
        <source>Averages over the classes</source>
        <translation>各类别的平均值</translation>
    </message>
    <message>
        <source>Samples listed</source>
        <translation>列出的样本</translation>
    </message>
    <message>
        <source>Show all mistakes</source>
        <translation>显示全部错误</translation>
    </message>
    <message>
        <source>Misclassified images</source>
        <translation>分错的图像</translation>
    </message>
    <message>
        <source>Misclassified rows</source>
        <translation>分错的行</translation>
    </message>
    <message>
        <source>Train a model (or open one) to see here how it does on the validation set: for classes, which ones it confuses and the samples it gets wrong; for a number (regression), R², MAE and RMSE against always predicting the mean.</source>
        <translation>训练（或打开）一个模型，即可在这里看到它在验证集上的表现：分类模型会显示它混淆了哪些类别以及分错的样本；预测数值的模型（回归）会显示 R²、MAE 和 RMSE，并与始终预测均值的做法比较。</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Validation
samples</source>
        <translation>验证集
样本数</translation>
    </message>
    <message>
        <source>Training
samples</source>
        <translation>训练集
样本数</translation>
    </message>
    <message>
        <source>Recall
(accuracy)</source>
        <translation>召回率
（准确率）</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>精确率</translation>
    </message>
    <message>
        <source>F1</source>
        <translation>F1</translation>
    </message>
    <message>
        <source>Samples of this class in the validation set (the support).</source>
        <translation>验证集中该类别的样本数（支持数）。</translation>
    </message>
    <message>
        <source>Samples of this class the model trained on.</source>
        <translation>模型训练时该类别的样本数。</translation>
    </message>
    <message>
        <source>Share of this class's samples the model recognises: its accuracy on this class.</source>
        <translation>该类别的样本中被模型认出的比例：即模型在该类别上的准确率。</translation>
    </message>
    <message>
        <source>Share of the model's predictions of this class that are right.</source>
        <translation>模型预测为该类别的结果中正确的比例。</translation>
    </message>
    <message>
        <source>Harmonic mean of precision and recall: high only when both are.</source>
        <translation>精确率与召回率的调和平均：只有两者都高时才高。</translation>
    </message>
    <message>
        <source>Cells show:</source>
        <translation>格子显示：</translation>
    </message>
    <message>
        <source>Evaluating the model on the validation set...</source>
        <translation>正在验证集上评估模型...</translation>
    </message>
    <message>
        <source>Validation set: {n} samples. R² {r2}, MAE {mae}, RMSE {rmse}; always predicting the mean would give R² {baseline_r2}, MAE {baseline_mae}. Hover over a dot for its values.</source>
        <translation>验证集：{n} 个样本。R² {r2}，MAE {mae}，RMSE {rmse}；始终预测均值会得到 R² {baseline_r2}，MAE {baseline_mae}。鼠标悬停在点上可查看其数值。</translation>
    </message>
    <message>
        <source>Validation set: {n} samples, accuracy {accuracy}, {wrong} misclassified. Hover over a cell for its numbers; click it to list its samples.</source>
        <translation>验证集：{n} 个样本，准确率 {accuracy}，分错 {wrong} 个。鼠标悬停在格子上可看数字；点击可列出其中的样本。</translation>
    </message>
    <message>
        <source>Class “{name}” has only {support} validation samples and the model finds {recall} of them, while the overall accuracy is {accuracy}: the accuracy hides that this rare class is mostly missed. Look at its recall, the macro average, or try over-sampling the rare classes.</source>
        <translation>类别“{name}”在验证集中只有 {support} 个样本，模型只找出了其中的 {recall}，而总体准确率为 {accuracy}：准确率掩盖了这个稀有类别大多被漏掉的事实。请查看它的召回率和宏平均，或尝试对稀有类别过采样。</translation>
    </message>
    <message>
        <source>Macro avg</source>
        <translation>宏平均</translation>
    </message>
    <message>
        <source>Weighted avg</source>
        <translation>加权平均</translation>
    </message>
    <message>
        <source>Mean over the classes, each class counting alike: a rare class the model misses pulls it down.</source>
        <translation>各类别的平均值，每个类别同等计入：模型漏掉的稀有类别会把它拉低。</translation>
    </message>
    <message>
        <source>Mean over the classes weighted by their validation samples: close to the plain accuracy.</source>
        <translation>按验证集样本数加权的各类别平均值：接近普通的准确率。</translation>
    </message>
    <message>
        <source>Misclassified validation samples: {count}, most confident mistakes first.</source>
        <translation>分错的验证集样本：{count} 个，最有把握的错误排在前面。</translation>
    </message>
    <message>
        <source>True class {true}, predicted correctly. Samples: {count}.</source>
        <translation>真实类别 {true}，预测正确。样本数：{count}。</translation>
    </message>
    <message>
        <source>True class {true}, predicted as {predicted}. Samples: {count}.</source>
        <translation>真实类别 {true}，被预测为 {predicted}。样本数：{count}。</translation>
    </message>
    <message>
        <source>The first {shown} are listed.</source>
        <translation>只列出前 {shown} 个。</translation>
    </message>
    <message>
        <source>{true} → {predicted}
{confidence}</source>
        <translation>{true} → {predicted}
{confidence}</translation>
    </message>
    <message>
        <source>True class: {true}. Predicted: {predicted}, with {confidence} confidence.</source>
        <translation>真实类别：{true}。预测：{predicted}，置信度 {confidence}。</translation>
    </message>
    <message>
        <source>feature {n}</source>
        <translation>特征 {n}</translation>
    </message>
    <message>
        <source>True class</source>
        <translation>真实类别</translation>
    </message>
    <message>
        <source>Predicted</source>
        <translation>预测</translation>
    </message>
    <message>
        <source>Confidence</source>
        <translation>置信度</translation>
    </message>
</context>
<context>
    <name>ExplainButton</name>
    <message>
        <source>Explain {field}</source>
        <translation>解释：{field}</translation>
    </message>
    <message>
        <source>What is this? Click for an explanation.</source>
        <translation>这是什么？点击查看解释。</translation>
    </message>
</context>
<context>
    <name>Explanations</name>
    <message>
        <source>Data set</source>
        <translation>数据集</translation>
    </message>
    <message>
        <source>The examples the network learns from. The 2-D sets (spiral, moons...) are drawn fresh from a formula and are quick to train, good for watching the ideas. The bundled sets are small real tables or images. Choose CSV file or Image folder to train on your own data.</source>
        <translation>网络从中学习的样本。二维数据集（螺旋、月牙……）由公式现场生成，训练很快，适合观察各种概念。内置数据集是小型的真实表格或图像。选择“CSV 文件”或“图像文件夹”可以用你自己的数据训练。</translation>
    </message>
    <message>
        <source>What the network learns from.</source>
        <translation>网络从中学习的数据。</translation>
    </message>
    <message>
        <source>Target column</source>
        <translation>目标列</translation>
    </message>
    <message>
        <source>The column of the CSV file the network learns to predict; every other column is an input. A column of words or a few whole numbers becomes classification, a column of measurements becomes regression. ID columns and row numbers are left out of the inputs on their own; the column table shows each column's role.</source>
        <translation>网络要学会预测的那一列；其余各列都是输入。文字或少数几个整数组成的列会成为分类，测量值组成的列会成为回归。编号列和行号会自动不作为输入；列表中显示每一列的用途。</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>What the network predicts. Classification picks one of the target column's values (a class); regression predicts a number. Automatic chooses from the target column: text or a few whole numbers become classes, other numbers regression; the list shows what it chose and why. Choose one yourself when a column of codes such as 1 to 5 is really a measurement, or the other way round.</source>
        <translation>网络要预测什么。分类是从目标列的取值中选出一个（一个类别）；回归是预测一个数。“自动”根据目标列来选：文字或少数几个整数成为类别，其他数字成为回归；列表里会显示选了什么以及原因。如果像 1 到 5 这样的代码其实是测量值（或者反过来），就自己选择。</translation>
    </message>
    <message>
        <source>Sheet</source>
        <translation>工作表</translation>
    </message>
    <message>
        <source>The sheet of an Excel workbook to train on. Each sheet is read as its own table, with a header row of column names first. Changing the sheet reads its columns again and starts their roles afresh.</source>
        <translation>用来训练的 Excel 工作簿中的工作表。每个工作表都作为一张单独的表来读取，第一行是列名。换一个工作表会重新读取它的列，并重新确定各列的用途。</translation>
    </message>
    <message>
        <source>Samples</source>
        <translation>样本数</translation>
    </message>
    <message>
        <source>How many points the synthetic data set has, before the validation split. More samples give a truer picture of the shape to learn and more iterations per epoch. A few hundred are enough to see training work; with very few the network can memorise them (overfitting).</source>
        <translation>合成数据集在划分验证集之前的点数。样本越多，要学习的形状越真实，每轮次的迭代也越多。几百个样本就足以看到训练的效果；样本太少时网络可能把它们背下来（过拟合）。</translation>
    </message>
    <message>
        <source>Number of points in the synthetic data set.</source>
        <translation>合成数据集中的点数。</translation>
    </message>
    <message>
        <source>Noise</source>
        <translation>噪声</translation>
    </message>
    <message>
        <source>How much random scatter is added to each synthetic point. With 0 the classes are cleanly separated; around 0.1 to 0.3 they overlap at the edges, like real data. With high noise no network can reach a low validation loss: the loss that is left is the noise itself.</source>
        <translation>给每个合成点加上的随机散布。为 0 时各类别完全分开；约 0.1 到 0.3 时类别在边缘处重叠，像真实数据一样。噪声很大时，任何网络都无法让验证集损失降得很低：剩下的损失就是噪声本身。</translation>
    </message>
    <message>
        <source>Random scatter added to each point.</source>
        <translation>给每个点加上的随机散布。</translation>
    </message>
    <message>
        <source>Classes</source>
        <translation>类别数</translation>
    </message>
    <message>
        <source>How many categories the synthetic set has: the arms of the spiral or the number of blobs. More classes make the task harder and need a larger network. The output layer gets one unit per class.</source>
        <translation>合成数据集的类别数：螺旋的臂数或团块的个数。类别越多，任务越难，需要的网络越大。输出层每个类别对应一个单元。</translation>
    </message>
    <message>
        <source>Number of categories (spiral arms, blobs).</source>
        <translation>类别的数目（螺旋臂、团块）。</translation>
    </message>
    <message>
        <source>Image size</source>
        <translation>图像尺寸</translation>
    </message>
    <message>
        <source>Every image is resized to this many pixels on each side before training. Small images (28 to 64 px) train fast and need little memory; large ones keep detail but cost much more per iteration. All images in one batch must have the same size.</source>
        <translation>训练前每张图像都会缩放到每边这么多像素。小图像（28 到 64 像素）训练快、占用内存少；大图像保留细节，但每次迭代的代价高得多。同一批次中的所有图像必须尺寸相同。</translation>
    </message>
    <message>
        <source>Side length every image is resized to.</source>
        <translation>每张图像缩放到的边长。</translation>
    </message>
    <message>
        <source>Grey scale</source>
        <translation>灰度</translation>
    </message>
    <message>
        <source>Turns colour images into grey ones: one input channel instead of three (red, green, blue). Use it when colour carries no meaning for the task, such as handwriting. The network gets smaller and trains faster.</source>
        <translation>把彩色图像变成灰度图像：一个输入通道，而不是三个（红、绿、蓝）。当颜色对任务没有意义时使用，例如手写字。网络会更小，训练也更快。</translation>
    </message>
    <message>
        <source>One grey channel instead of three colour ones.</source>
        <translation>一个灰度通道代替三个颜色通道。</translation>
    </message>
    <message>
        <source>Validation split</source>
        <translation>验证集比例</translation>
    </message>
    <message>
        <source>The share of the data kept aside and never trained on; the validation loss is measured on it. 20 to 30 % is usual. It is the honest score: the training loss keeps falling, but when the validation loss stops falling or rises, the network is overfitting. With 0 % there is no validation loss and no early stopping.</source>
        <translation>留出、从不用于训练的数据比例；验证集损失就在这部分数据上测量。通常取 20% 到 30%。它是诚实的分数：训练集损失会一直下降，但当验证集损失不再下降或开始上升时，网络就在过拟合。为 0% 时没有验证集损失，也没有提前停止。</translation>
    </message>
    <message>
        <source>Class balance</source>
        <translation>类别平衡</translation>
    </message>
    <message>
        <source>When one class is much rarer than another, a network can score well by ignoring it. Over-sampling repeats the rare samples each epoch; under-sampling draws a different random subset of the common class each epoch, so no data is thrown away for good. Check the per-class counts under the data settings.</source>
        <translation>当某个类别比其他类别少得多时，网络可以靠忽略它而得到不错的分数。过采样在每个轮次中重复使用稀有样本；欠采样在每个轮次中从常见类别随机抽取一个不同的子集，因此没有数据被永久丢弃。请查看数据设置下方的各类别数量。</translation>
    </message>
    <message>
        <source>Normalise inputs</source>
        <translation>输入归一化</translation>
    </message>
    <message>
        <source>Shifts and scales each input so that it has mean 0 and standard deviation 1. Inputs on very different scales (metres next to grams) make training slow and unstable. The mean and deviation come from the training split only and travel with the saved model; leave it on unless you have a reason.</source>
        <translation>对每个输入做平移和缩放，使其均值为 0、标准差为 1。尺度相差很大的输入（米和克放在一起）会让训练缓慢且不稳定。均值和标准差只在训练集上计算，并随保存的模型一起保存；除非有理由，否则请保持开启。</translation>
    </message>
    <message>
        <source>Flip horizontally</source>
        <translation>水平翻转</translation>
    </message>
    <message>
        <source>Each training image is mirrored left-right at random, half of the time. The network sees more variety from the same images, which fights overfitting. Only use it when a mirrored image still shows the same class (a cat, yes; the digit 7, no). Validation images are never changed.</source>
        <translation>每张训练图像有一半的机会被随机左右镜像。网络从同样的图像中看到更多变化，可以抑制过拟合。只有当镜像后的图像仍属于同一类别时才使用（猫可以，数字 7 不行）。验证图像从不改变。</translation>
    </message>
    <message>
        <source>Mirror training images at random.</source>
        <translation>随机镜像训练图像。</translation>
    </message>
    <message>
        <source>Random crop</source>
        <translation>随机裁剪</translation>
    </message>
    <message>
        <source>Each training image is cut to a random part of this size and scaled back up, so the object moves around a little. About 0.8 to 0.9 is typical; 1 is off. Too small a crop can cut away what identifies the class.</source>
        <translation>每张训练图像被随机裁出这个比例大小的一部分，再放大回原尺寸，于是物体的位置会略有变化。通常取 0.8 到 0.9；1 表示关闭。裁得太小可能会切掉用于识别类别的部分。</translation>
    </message>
    <message>
        <source>Rotation</source>
        <translation>旋转</translation>
    </message>
    <message>
        <source>Each training image is turned by a random angle up to this many degrees either way. Small angles (up to about 15 to 30 degrees) teach the network that a slightly tilted picture is the same thing. Large ones can turn a 6 into a 9.</source>
        <translation>每张训练图像随机向任一方向旋转，最大为这个角度。小角度（最多约 15 到 30 度）让网络学到稍微倾斜的图像仍是同一样东西。角度太大会把 6 变成 9。</translation>
    </message>
    <message>
        <source>Random turn of training images, in degrees.</source>
        <translation>训练图像的随机旋转角度（度）。</translation>
    </message>
    <message>
        <source>Colour jitter</source>
        <translation>颜色抖动</translation>
    </message>
    <message>
        <source>Randomly changes the brightness and contrast of each training image by up to this fraction. It helps when photos come from different lights or cameras. Around 0.1 to 0.3 is gentle; 0 is off.</source>
        <translation>随机改变每张训练图像的亮度和对比度，最大为这个比例。当照片来自不同的光线或相机时有帮助。约 0.1 到 0.3 比较温和；0 表示关闭。</translation>
    </message>
    <message>
        <source>Random brightness and contrast changes.</source>
        <translation>随机改变亮度和对比度。</translation>
    </message>
    <message>
        <source>Network type</source>
        <translation>网络类型</translation>
    </message>
    <message>
        <source>A fully connected network (MLP) connects every input to every unit: right for tables of numbers and 2-D points. A convolutional network (CNN) slides small filters over an image, so it finds the same pattern anywhere with far fewer weights. Use the CNN for images.</source>
        <translation>全连接网络（MLP）把每个输入连接到每个单元：适合数字表格和二维点。卷积网络（CNN）在图像上滑动小的卷积核，因此能用少得多的权重在任何位置找到同一种图案。图像请使用 CNN。</translation>
    </message>
    <message>
        <source>Fully connected for tables, convolutional for images.</source>
        <translation>表格用全连接网络，图像用卷积网络。</translation>
    </message>
    <message>
        <source>Filters</source>
        <translation>卷积核数</translation>
    </message>
    <message>
        <source>How many filters each convolution layer learns, layer by layer: 16,32 is two layers. Each filter detects one pattern (an edge, a curve, later whole parts). Doubling the count after each pooling step is customary. More filters see more but cost memory and time.</source>
        <translation>每个卷积层学习的卷积核数量，逐层列出：16,32 表示两层。每个卷积核检测一种图案（边缘、曲线，后面的层检测整个部件）。惯例是每次池化之后把数量加倍。卷积核越多看到的越多，但更占内存和时间。</translation>
    </message>
    <message>
        <source>Kernel size</source>
        <translation>卷积核大小</translation>
    </message>
    <message>
        <source>The width of each filter in pixels, usually odd: 3 is the common choice. Small kernels see fine detail; stacking layers lets them see wider. Large kernels see more context at once but have many more weights.</source>
        <translation>每个卷积核的宽度（像素），通常为奇数：3 是常见选择。小卷积核看到细节；叠加多层后也能看得更远。大卷积核一次看到更多上下文，但权重多得多。</translation>
    </message>
    <message>
        <source>Width of each convolution filter in pixels.</source>
        <translation>每个卷积核的宽度（像素）。</translation>
    </message>
    <message>
        <source>Pooling</source>
        <translation>池化</translation>
    </message>
    <message>
        <source>After each convolution the image is shrunk to half its width and height. Max pooling keeps the strongest response in each patch ("is the pattern there?"); average pooling keeps the mean, a smoother, more global summary. Max is the usual choice.</source>
        <translation>每个卷积层之后，图像的宽和高缩小一半。最大池化保留每个小块中最强的响应（“图案在不在那里？”）；平均池化保留平均值，是更平滑、更全局的概括。通常选择最大池化。</translation>
    </message>
    <message>
        <source>How each convolution's output is shrunk.</source>
        <translation>如何缩小每个卷积层的输出。</translation>
    </message>
    <message>
        <source>Hidden layers</source>
        <translation>隐藏层</translation>
    </message>
    <message>
        <source>The layers between input and output, as units per layer: 64,64 is two layers of 64. Empty means a linear model, which can only draw straight boundaries. Wider and deeper networks can learn more complex shapes but train slower and overfit small data sets more easily; one or two layers of 32 to 256 units is a good start.</source>
        <translation>输入和输出之间的层，写成每层的单元数：64,64 表示两层各 64 个单元。留空表示线性模型，只能画出直线边界。更宽、更深的网络能学习更复杂的形状，但训练更慢，在小数据集上也更容易过拟合；一到两层、每层 32 到 256 个单元是不错的起点。</translation>
    </message>
    <message>
        <source>Activation</source>
        <translation>激活函数</translation>
    </message>
    <message>
        <source>The bend applied after each layer; without it, many layers would be no better than one. ReLU (max(0, x)) is fast and the usual default. Leaky ReLU, ELU, GELU, SiLU and Mish are smooth or leaky variants that keep a small gradient below zero. tanh and sigmoid flatten out at both ends, which can stall deep networks.</source>
        <translation>每层之后施加的弯折；没有它，多层网络并不比一层更强。ReLU（max(0, x)）速度快，是常用的默认值。Leaky ReLU、ELU、GELU、SiLU 和 Mish 是平滑或带泄漏的变体，在零以下仍保留小的梯度。tanh 和 sigmoid 在两端变平，可能让深层网络停滞。</translation>
    </message>
    <message>
        <source>The non-linear function after each layer.</source>
        <translation>每层之后的非线性函数。</translation>
    </message>
    <message>
        <source>Input dropout</source>
        <translation>输入层 Dropout</translation>
    </message>
    <message>
        <source>In each training step every input is dropped (set to zero) with this probability, so the network cannot rely on any single input. Keep it low, about 0.2, so most inputs survive. When the model predicts, nothing is dropped. Use it against overfitting; training takes longer to converge.</source>
        <translation>在每个训练步中，每个输入以这个概率被丢弃（置为零），因此网络不能依赖任何单个输入。请保持较低，约 0.2，让大部分输入保留下来。模型预测时不丢弃任何东西。它用于对抗过拟合；训练收敛会更慢。</translation>
    </message>
    <message>
        <source>Hidden dropout</source>
        <translation>隐藏层 Dropout</translation>
    </message>
    <message>
        <source>In each training step every hidden unit is dropped with this probability, so each step trains a different thinned network that shares the same weights; the result behaves like an average of many networks. About 0.5 is typical for hidden layers. Nothing is dropped when predicting. Expect a noisier training loss and slower convergence, and a smaller gap to the validation loss.</source>
        <translation>在每个训练步中，每个隐藏单元以这个概率被丢弃（Dropout（丢弃）），因此每一步训练的是一个共享同一组权重的不同“瘦身”网络；结果相当于许多网络的平均。隐藏层通常取约 0.5。预测时不丢弃任何东西。预计训练集损失更嘈杂、收敛更慢，而与验证集损失的差距更小。</translation>
    </message>
    <message>
        <source>Normalisation layers</source>
        <translation>归一化层</translation>
    </message>
    <message>
        <source>Layers that rescale the values inside the network, which often lets it train faster and with a higher learning rate. BatchNorm normalises each unit over the batch: it works poorly with tiny batches and behaves differently in training and prediction. LayerNorm normalises over the units of each single sample and does not depend on the batch size.</source>
        <translation>在网络内部重新缩放数值的层，常常让训练更快，并允许更高的学习率。BatchNorm 在批次上对每个单元做归一化：批次很小时效果差，并且训练和预测时的行为不同。LayerNorm 在单个样本的各单元上做归一化，与批大小无关。</translation>
    </message>
    <message>
        <source>Rescale values between layers (BatchNorm, LayerNorm).</source>
        <translation>在层之间重新缩放数值（BatchNorm、LayerNorm）。</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>One epoch is one pass of the whole training set through the network. One pass is not enough: training improves step by step, so it runs many epochs. Too few and the network underfits (both losses stay high); too many and it overfits: the training loss keeps falling while the validation loss turns upward. Watch the validation loss, or let early stopping decide.</source>
        <translation>一个轮次是整个训练集通过网络一遍。一遍是不够的：训练是一步步改进的，所以要运行许多轮次。轮次太少网络欠拟合（两个损失都居高不下）；太多则过拟合：训练集损失继续下降，而验证集损失转而上升。请关注验证集损失，或让提前停止来决定。</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <source>How many samples are used for one weight update (one iteration). Iterations per epoch = training samples / batch size, rounded up: 1,050 samples in batches of 100 is 11 iterations. Small batches (8 to 64) need less memory and give many noisy updates per epoch. Large batches give fewer, smoother updates and use the hardware better, but need more memory and often generalise worse (a gap between training and validation loss). 32 is a common start.</source>
        <translation>一次权重更新（一次迭代）所用的样本数。每轮次迭代数 = 训练样本数 ÷ 批大小，向上取整：1,050 个样本、批大小 100，就是 11 次迭代。小批次（8 到 64）需要的内存少，每轮次有许多带噪声的更新。大批次的更新更少、更平滑，能更好地利用硬件，但需要更多内存，泛化往往更差（训练集损失和验证集损失之间出现差距）。32 是常见的起点。</translation>
    </message>
    <message>
        <source>When the training set does not divide evenly, the last batch of each epoch is smaller. With this on it is skipped: 1,050 samples in batches of 100 give 10 iterations instead of 11. Useful with BatchNorm, which is unstable on tiny batches. The skipped samples differ each epoch when the data is shuffled.</source>
        <translation>当训练集不能被整除时，每个轮次的最后一个批次会更小。开启后跳过它：1,050 个样本、批大小 100，得到 10 次迭代而不是 11 次。配合 BatchNorm 使用时有用，因为它在很小的批次上不稳定。数据打乱时，每个轮次被跳过的样本都不同。</translation>
    </message>
    <message>
        <source>Drop the last partial batch</source>
        <translation>丢弃最后不完整的批次</translation>
    </message>
    <message>
        <source>Skip the smaller last batch of each epoch.</source>
        <translation>跳过每个轮次中较小的最后一个批次。</translation>
    </message>
    <message>
        <source>Optimizer</source>
        <translation>优化器</translation>
    </message>
    <message>
        <source>The rule that turns gradients into weight changes. SGD steps straight down the gradient of each batch. Momentum keeps a running average of past gradients, which smooths the direction and damps zig-zagging. RMSprop and Adam give every weight its own step size from the size of its recent gradients; Adam (or AdamW) is a good default, usually with a learning rate near 0.001.</source>
        <translation>把梯度变成权重变化的规则。SGD 沿每个批次的梯度方向直接下降一步。动量保持过去梯度的滑动平均，使方向更平滑，减少来回振荡。RMSprop 和 Adam 根据每个权重最近梯度的大小给它单独的步长；Adam（或 AdamW）是不错的默认选择，学习率通常在 0.001 左右。</translation>
    </message>
    <message>
        <source>How gradients become weight updates.</source>
        <translation>梯度如何变成权重更新。</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>The size of each step downhill. Too high and the loss jumps around, grows or becomes NaN; too low and it falls very slowly. Typical values: about 0.001 for Adam, 0.01 to 0.1 for SGD. If the loss curve explodes, divide by 10; if it barely moves, multiply by 3 to 10.</source>
        <translation>每一步下坡的步长。太高时损失上下跳动、增大甚至变成 NaN；太低时损失下降得非常慢。典型值：Adam 约 0.001，SGD 为 0.01 到 0.1。如果损失曲线爆炸，就除以 10；如果几乎不动，就乘以 3 到 10。</translation>
    </message>
    <message>
        <source>Momentum</source>
        <translation>动量</translation>
    </message>
    <message>
        <source>How much of the previous update is carried into the next one, like a ball rolling downhill. 0.9 is the usual value. It speeds up progress along gentle slopes and damps oscillation across steep ones. Too close to 1 and the updates overshoot.</source>
        <translation>上一次更新有多少被带入下一次，就像滚下山坡的球。常用值为 0.9。它加快沿平缓坡道的前进，并抑制在陡峭方向上的振荡。太接近 1 时更新会冲过头。</translation>
    </message>
    <message>
        <source>Share of the previous update carried on.</source>
        <translation>上一次更新被延续的比例。</translation>
    </message>
    <message>
        <source>Nesterov momentum</source>
        <translation>Nesterov 动量</translation>
    </message>
    <message>
        <source>A variant of momentum that looks ahead: the gradient is taken where the momentum is about to carry the weights. It often converges a little faster and overshoots less. It only applies to SGD with momentum.</source>
        <translation>一种向前看的动量：在动量即将把权重带到的位置计算梯度。它常常收敛得稍快，冲过头也更少。只适用于带动量的 SGD。</translation>
    </message>
    <message>
        <source>Momentum that looks one step ahead.</source>
        <translation>向前看一步的动量。</translation>
    </message>
    <message>
        <source>Weight decay</source>
        <translation>权重衰减</translation>
    </message>
    <message>
        <source>Pulls every weight a little towards zero at each step, which keeps the network simple and fights overfitting. Typical values are 0.0001 to 0.01 (AdamW about 0.01); 0 is off. Too much and the network underfits: both losses stay high.</source>
        <translation>每一步都把每个权重稍微拉向零，使网络保持简单，对抗过拟合。典型值为 0.0001 到 0.01（AdamW 约 0.01）；0 表示关闭。太大时网络欠拟合：两个损失都居高不下。</translation>
    </message>
    <message>
        <source>Shrink weights towards zero (regularisation).</source>
        <translation>把权重向零收缩（正则化）。</translation>
    </message>
    <message>
        <source>Learning-rate schedule</source>
        <translation>学习率调度</translation>
    </message>
    <message>
        <source>Lowers the learning rate as training goes on: big steps early to make progress, small steps late to settle into a minimum. Step multiplies it by a factor every few epochs; cosine glides it to zero by the last epoch; lower on plateau cuts it when the validation loss stops improving. Constant keeps it as set.</source>
        <translation>随着训练进行降低学习率：早期大步前进，后期小步落入极小值。“阶梯”每隔几个轮次乘以一个倍数；“余弦”在最后一个轮次时平滑降到零；“停滞时降低”在验证集损失不再改善时降低学习率。“恒定”保持设定值不变。</translation>
    </message>
    <message>
        <source>How the learning rate changes during training.</source>
        <translation>学习率在训练中如何变化。</translation>
    </message>
    <message>
        <source>Every</source>
        <translation>每</translation>
    </message>
    <message>
        <source>For the step schedule: after this many epochs the learning rate is multiplied by the factor, again and again. For example every 10 epochs by 0.1. Too often and the learning rate becomes tiny before the network has learned much.</source>
        <translation>用于阶梯调度：每过这么多轮次，学习率就乘以倍数，反复进行。例如每 10 个轮次乘以 0.1。降得太频繁，网络还没学到多少，学习率就已经变得极小。</translation>
    </message>
    <message>
        <source>Epochs between learning-rate cuts.</source>
        <translation>两次降低学习率之间的轮次数。</translation>
    </message>
    <message>
        <source>Factor</source>
        <translation>倍数</translation>
    </message>
    <message>
        <source>What the learning rate is multiplied by at each cut: 0.1 divides it by ten, 0.5 halves it. Gentler factors (0.5) need more cuts. Harsh ones (0.1) give a visible drop in the loss curve right after the cut.</source>
        <translation>每次降低时学习率乘以的数：0.1 表示除以十，0.5 表示减半。较温和的倍数（0.5）需要更多次降低。剧烈的倍数（0.1）会在降低之后让损失曲线出现明显下跌。</translation>
    </message>
    <message>
        <source>Multiplier applied to the learning rate at a cut.</source>
        <translation>降低学习率时乘以的倍数。</translation>
    </message>
    <message>
        <source>Plateau patience</source>
        <translation>停滞容忍轮数</translation>
    </message>
    <message>
        <source>For lower on plateau: how many epochs without improvement of the validation loss to wait before cutting the learning rate. A few epochs (2 to 10) is usual. Keep it smaller than the early-stopping patience, or training stops before the rate is ever lowered.</source>
        <translation>用于“停滞时降低”：验证集损失连续多少个轮次没有改善后才降低学习率。通常为几个轮次（2 到 10）。请让它小于提前停止的容忍轮数，否则学习率还没降低训练就已停止。</translation>
    </message>
    <message>
        <source>Epochs without improvement before a cut.</source>
        <translation>降低之前允许没有改善的轮次数。</translation>
    </message>
    <message>
        <source>Early stopping</source>
        <translation>提前停止</translation>
    </message>
    <message>
        <source>Stops training when the validation loss has not improved for this many epochs, and keeps the weights of the best epoch. It is the usual cure for too many epochs. 5 to 20 is typical: too small and a noisy curve stops training early; off trains every epoch. It needs a validation split.</source>
        <translation>当验证集损失连续这么多个轮次没有改善时停止训练，并保留最佳轮次的权重。它是轮次过多的常用解药。通常取 5 到 20：太小时嘈杂的曲线会让训练过早停止；关闭时会训练完所有轮次。它需要验证集。</translation>
    </message>
    <message>
        <source>Random seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>The starting point of all randomness: the data split, the first weights, the shuffling and dropout. The same seed with the same settings gives the same run, so you can compare settings fairly. Change it to see how much of a result is luck.</source>
        <translation>所有随机性的起点：数据划分、初始权重、打乱顺序和 Dropout。相同的种子加上相同的设置会得到相同的运行，因此可以公平地比较设置。换一个种子，可以看出结果中有多少是运气。</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Where the arithmetic runs. A GPU does thousands of independent multiplications at once, so large networks and images train many times faster on it. Small networks on 2-D points can be as fast on the CPU, since moving tiny batches to a GPU has its own cost. The best device found is chosen first.</source>
        <translation>计算在哪里进行。GPU 能同时做成千上万次相互独立的乘法，因此大型网络和图像在 GPU 上训练要快许多倍。二维点上的小网络在 CPU 上可能一样快，因为把很小的批次搬到 GPU 也有代价。默认选择找到的最佳设备。</translation>
    </message>
    <message>
        <source>Compile the model</source>
        <translation>编译模型</translation>
    </message>
    <message>
        <source>Translates the network into optimised code before training (torch.compile). The first iterations wait for the compiler, sometimes for a minute; afterwards each iteration can be faster, mostly on a GPU. Worth it for long runs, not for quick experiments.</source>
        <translation>训练前把网络翻译成优化过的代码（torch.compile）。最初的几次迭代要等待编译器，有时长达一分钟；之后每次迭代可能更快，主要是在 GPU 上。对长时间运行值得，对快速试验则不值得。</translation>
    </message>
    <message>
        <source>Mixed precision</source>
        <translation>混合精度</translation>
    </message>
    <message>
        <source>Computes most of the forward pass with 16-bit numbers (bfloat16) instead of 32-bit ones, where that is safe. Recent GPUs do that much faster and it halves the memory of activations. The loss curve may be slightly noisier; on a CPU it rarely helps.</source>
        <translation>在安全的地方，用 16 位数（bfloat16）而不是 32 位数计算大部分前向传播。新近的 GPU 这样算快得多，并且激活值的内存减半。损失曲线可能稍微更嘈杂；在 CPU 上很少有帮助。</translation>
    </message>
    <message>
        <source>Start, pause, stop</source>
        <translation>开始、暂停、停止</translation>
    </message>
    <message>
        <source>Start trains a network with the settings above; they are frozen for the run. Pause halts between two iterations and resumes where it was. Stop ends after the current iteration and keeps the model, so you can save it or try it. The plots show every iteration and every epoch as they happen.</source>
        <translation>“开始”用上面的设置训练一个网络；这些设置在本次运行中保持不变。“暂停”在两次迭代之间停下，之后从原处继续。“停止”在当前迭代结束后终止并保留模型，你可以保存或试用它。图表实时显示每一次迭代和每一个轮次。</translation>
    </message>
    <message>
        <source>Continue from the current model</source>
        <translation>从当前模型继续</translation>
    </message>
    <message>
        <source>Starts from the weights of the last run (or the opened model file) instead of fresh random ones. Use it to train some more epochs, or to go on with a smaller learning rate. The layers must stay the same; data and training settings may change.</source>
        <translation>从上一次运行（或打开的模型文件）的权重开始，而不是从新的随机权重开始。可以用它再多训练几个轮次，或用更小的学习率继续训练。网络的层必须保持不变；数据和训练设置可以改变。</translation>
    </message>
    <message>
        <source>Speed and Step</source>
        <translation>速度与单步</translation>
    </message>
    <message>
        <source>Speed slows training down to a number of iterations a second, so the curves, the decision boundary and the counters can be followed batch by batch; it changes at once, also during a run. Step 1 iteration trains exactly one more batch and pauses; Step 1 epoch trains to the end of the epoch, validation included, and pauses. After each step every view shows the model as it is then. Without a run, Step starts one paused; during a run, it pauses first.</source>
        <translation>“速度”把训练放慢到每秒若干次迭代，这样就能逐个批次地跟上曲线、决策边界和计数器的变化；它立即生效，训练进行中也一样。“单步 1 次迭代”再训练恰好一个批次，然后暂停；“单步 1 轮”训练到这一轮结束（包括验证），然后暂停。每一步之后，所有视图都显示模型此刻的样子。没有正在进行的训练时，单步会以暂停状态开始一次训练；训练进行中，它会先暂停。</translation>
    </message>
</context>
<context>
    <name>HistoryFeature</name>
    <message>
        <source>Runs are not recorded in the history: {reason}</source>
        <translation>训练记录未写入历史：{reason}</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>比较</translation>
    </message>
    <message>
        <source>&amp;Compare</source>
        <translation>比较(&amp;C)</translation>
    </message>
    <message>
        <source>Compare &amp;batch sizes</source>
        <translation>比较批大小(&amp;B)</translation>
    </message>
    <message>
        <source>Compare &amp;optimizers</source>
        <translation>比较优化器(&amp;O)</translation>
    </message>
    <message>
        <source>Compare &amp;dropout rates</source>
        <translation>比较 Dropout（丢弃）率(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Stop the comparison</source>
        <translation>停止比较(&amp;S)</translation>
    </message>
    <message>
        <source>Run &amp;history</source>
        <translation>训练历史(&amp;H)</translation>
    </message>
    <message>
        <source>A recorded run can be shown once the current run has ended.</source>
        <translation>当前训练结束后才能显示已记录的训练。</translation>
    </message>
    <message>
        <source>Showing the recorded run “{name}”.</source>
        <translation>正在显示已记录的训练“{name}”。</translation>
    </message>
    <message>
        <source>restoring the run's settings</source>
        <translation>恢复该训练的设置</translation>
    </message>
    <message>
        <source>The form holds the settings of run #{id}.</source>
        <translation>表单中现在是训练 #{id} 的设置。</translation>
    </message>
    <message>
        <source>Compare batch sizes</source>
        <translation>比较批大小</translation>
    </message>
    <message>
        <source>“{text}” is not a batch size: type whole numbers from 1 up, separated by commas, such as 8, 32, 128, 512.</source>
        <translation>“{text}”不是有效的批大小：请输入从 1 起的整数，用逗号分隔，例如 8, 32, 128, 512。</translation>
    </message>
    <message>
        <source>Reading the data to see which batch sizes fit...</source>
        <translation>正在读取数据，以确定哪些批大小可用……</translation>
    </message>
    <message>
        <source>{title}: run {i} of {n} ({label})...</source>
        <translation>{title}：第 {i} 次训练，共 {n} 次（{label}）……</translation>
    </message>
    <message>
        <source>{title}: {n} runs in {seconds} s.</source>
        <translation>{title}：{n} 次训练，用时 {seconds} 秒。</translation>
    </message>
    <message>
        <source>{title}: stopped; the remaining runs were cancelled.</source>
        <translation>{title}：已停止，其余训练已取消。</translation>
    </message>
</context>
<context>
    <name>HistoryPanel</name>
    <message>
        <source>MLP</source>
        <translation>MLP</translation>
    </message>
    <message>
        <source>CNN</source>
        <translation>CNN</translation>
    </message>
    <message>
        <source>no hidden layers</source>
        <translation>无隐藏层</translation>
    </message>
    <message>
        <source>, Dropout {rate}</source>
        <translation>，Dropout {rate}</translation>
    </message>
    <message>
        <source>{data} {model} {layers}, {optimizer}, learning rate {lr}, batch {batch}</source>
        <translation>{data} {model} {layers}，{optimizer}，学习率 {lr}，批大小 {batch}</translation>
    </message>
    <message>
        <source>History problem</source>
        <translation>历史记录问题</translation>
    </message>
    <message>
        <source>Start a new history</source>
        <translation>新建历史记录</translation>
    </message>
    <message>
        <source>Search runs</source>
        <translation>搜索训练</translation>
    </message>
    <message>
        <source>Search: name, data, optimizer, status...</source>
        <translation>搜索：名称、数据、优化器、状态……</translation>
    </message>
    <message>
        <source>Show in plots</source>
        <translation>在图中显示</translation>
    </message>
    <message>
        <source>Show the run in the plots</source>
        <translation>在图中显示该训练</translation>
    </message>
    <message>
        <source>Show the run's curves in the Training tab's plots</source>
        <translation>在“训练”页的图中显示该训练的曲线</translation>
    </message>
    <message>
        <source>Restore settings</source>
        <translation>恢复设置</translation>
    </message>
    <message>
        <source>Restore the run's settings</source>
        <translation>恢复该训练的设置</translation>
    </message>
    <message>
        <source>Put the run's settings into the form</source>
        <translation>把该训练的设置填入表单</translation>
    </message>
    <message>
        <source>Delete...</source>
        <translation>删除……</translation>
    </message>
    <message>
        <source>Delete runs</source>
        <translation>删除训练</translation>
    </message>
    <message>
        <source>Recorded runs</source>
        <translation>已记录的训练</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>Optimizer</source>
        <translation>优化器</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>Training loss</source>
        <translation>训练集损失</translation>
    </message>
    <message>
        <source>Validation loss</source>
        <translation>验证集损失</translation>
    </message>
    <message>
        <source>Accuracy (%)</source>
        <translation>准确率（%）</translation>
    </message>
    <message>
        <source>Seconds</source>
        <translation>秒</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Comparison</source>
        <translation>比较</translation>
    </message>
    <message>
        <source>Run details</source>
        <translation>训练详情</translation>
    </message>
    <message>
        <source>Double-click to rename</source>
        <translation>双击重命名</translation>
    </message>
    <message>
        <source>{data} ({n} samples)</source>
        <translation>{data}（{n} 个样本）</translation>
    </message>
    <message>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>early stopped</source>
        <translation>提前停止</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>被中断</translation>
    </message>
    <message>
        <source>{n} runs selected</source>
        <translation>已选择 {n} 次训练</translation>
    </message>
    <message>
        <source>Run #{id}</source>
        <translation>训练 #{id}</translation>
    </message>
    <message>
        <source>continues run #{id}</source>
        <translation>接续训练 #{id}</translation>
    </message>
    <message>
        <source>{train} training / {val} validation samples</source>
        <translation>训练集 {train} / 验证集 {val} 个样本</translation>
    </message>
    <message>
        <source>{ipe} iterations per epoch</source>
        <translation>每轮次 {ipe} 次迭代</translation>
    </message>
    <message>
        <source>best epoch {epoch}</source>
        <translation>最佳轮次 {epoch}</translation>
    </message>
    <message>
        <source>The run being recorded cannot be deleted until it ends.</source>
        <translation>正在记录的运行结束后才能删除。</translation>
    </message>
    <message>
        <source>Delete the run “{name}” from the history?</source>
        <translation>从历史中删除训练“{name}”？</translation>
    </message>
    <message>
        <source>Delete {n} runs from the history?</source>
        <translation>从历史中删除 {n} 次训练？</translation>
    </message>
    <message>
        <source>Their curves and settings are removed for good.</source>
        <translation>它们的曲线和设置将被永久删除。</translation>
    </message>
</context>
<context>
    <name>HistoryRecorder</name>
    <message>
        <source>The window was closed during the run.</source>
        <translation>训练过程中窗口被关闭。</translation>
    </message>
</context>
<context>
    <name>ImageTryPage</name>
    <message>
        <source>What you can do here</source>
        <translation>在这里可以做什么</translation>
    </message>
    <message>
        <source>Drawing pad</source>
        <translation>画板</translation>
    </message>
    <message>
        <source>Open picture...</source>
        <translation>打开图片...</translation>
    </message>
    <message>
        <source>Open a picture file</source>
        <translation>打开图片文件</translation>
    </message>
    <message>
        <source>Paste</source>
        <translation>粘贴</translation>
    </message>
    <message>
        <source>Paste a picture from the clipboard</source>
        <translation>从剪贴板粘贴图片</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>Clear the drawing</source>
        <translation>清除画板</translation>
    </message>
    <message>
        <source>Pen width</source>
        <translation>笔宽</translation>
    </message>
    <message>
        <source>Pen</source>
        <translation>笔</translation>
    </message>
    <message>
        <source>Colour...</source>
        <translation>颜色...</translation>
    </message>
    <message>
        <source>Pen colour</source>
        <translation>笔的颜色</translation>
    </message>
    <message>
        <source>The picture predicted</source>
        <translation>被预测的图片</translation>
    </message>
    <message>
        <source>Draw a digit on the pad with the mouse: the bars show how sure the model is of each digit, and move as you draw. You can also open a picture of a digit, drop one here, or paste one (Ctrl+V). Your drawing is cut to its ink, centred and thickened as the training digits are.</source>
        <translation>用鼠标在画板上写一个数字：条形显示模型对每个数字的把握，并随着书写而变化。也可以打开一张数字图片、拖放到这里，或粘贴一张（Ctrl+V）。你的书写会像训练用的数字一样，裁到笔迹、居中并加粗。</translation>
    </message>
    <message>
        <source>What the model sees: 8 x 8 squares, each 0 to 16 parts ink, as in the digits set.</source>
        <translation>模型看到的：8 x 8 个方格，每格 0 到 16 份墨迹，与手写数字数据集相同。</translation>
    </message>
    <message>
        <source>Open a picture, drop one here, paste one (Ctrl+V) or draw on the canvas: the bars show how sure the model is of each class. The picture is resized to {w} x {h} pixels, as the training images were.</source>
        <translation>打开一张图片、拖放到这里、粘贴一张（Ctrl+V）或在画布上画：条形显示模型对每个类别的把握。图片会像训练图片一样缩放为 {w} x {h} 像素。</translation>
    </message>
    <message>
        <source>grey</source>
        <translation>灰度</translation>
    </message>
    <message>
        <source>colour</source>
        <translation>彩色</translation>
    </message>
    <message>
        <source>What the model sees: {w} x {h} {colour} pixels.</source>
        <translation>模型看到的：{w} x {h} 个{colour}像素。</translation>
    </message>
    <message>
        <source>Draw, or bring a picture.</source>
        <translation>画一画，或拿来一张图片。</translation>
    </message>
    <message>
        <source>Your drawing</source>
        <translation>你画的图</translation>
    </message>
    <message>
        <source>That picture cannot be read. Save it as PNG or JPEG and open the file.</source>
        <translation>无法读取这张图片。请将其保存为 PNG 或 JPEG，再打开该文件。</translation>
    </message>
    <message>
        <source>That picture cannot be used: {reason}</source>
        <translation>无法使用这张图片：{reason}</translation>
    </message>
    <message>
        <source>Pasted picture</source>
        <translation>粘贴的图片</translation>
    </message>
    <message>
        <source>There is no picture to take: copy an image, or a PNG or JPEG file, and paste again.</source>
        <translation>没有可用的图片：请复制一张图片或一个 PNG、JPEG 文件，然后再粘贴。</translation>
    </message>
    <message>
        <source>Open picture</source>
        <translation>打开图片</translation>
    </message>
    <message>
        <source>Pictures ({patterns});;All files (*)</source>
        <translation>图片 ({patterns});;所有文件 (*)</translation>
    </message>
    <message>
        <source>Dropped picture</source>
        <translation>拖放的图片</translation>
    </message>
</context>
<context>
    <name>IterationPlot</name>
    <message>
        <source>Loss per iteration</source>
        <translation>每次迭代的损失</translation>
    </message>
    <message>
        <source>Iteration</source>
        <translation>迭代</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>loss per iteration</source>
        <translation>每次迭代的损失</translation>
    </message>
    <message>
        <source>smoothed</source>
        <translation>平滑后</translation>
    </message>
    <message>
        <source>Iteration {iteration} (epoch {epoch}): loss {loss}, smoothed {smooth}</source>
        <translation>第 {iteration} 次迭代（第 {epoch} 轮）：损失 {loss}，平滑后 {smooth}</translation>
    </message>
    <message>
        <source>Iteration {iteration} (epoch {epoch}): loss {loss}</source>
        <translation>第 {iteration} 次迭代（第 {epoch} 轮）：损失 {loss}</translation>
    </message>
</context>
<context>
    <name>LiveViews</name>
    <message>
        <source>Live views</source>
        <translation>实时视图</translation>
    </message>
    <message>
        <source>Live &amp;views (decision boundary, Dropout)</source>
        <translation>实时视图(&amp;V)（决策边界、Dropout）</translation>
    </message>
    <message>
        <source>The decision boundary appears as soon as the first iterations are done.</source>
        <translation>完成最初几次迭代后，决策边界就会出现。</translation>
    </message>
    <message>
        <source>Epoch {epoch}, iteration {iteration}. Colour: the predicted class; pale: unsure.</source>
        <translation>第 {epoch} 轮次，第 {iteration} 次迭代。颜色：预测类别；浅色：不确定。</translation>
    </message>
    <message>
        <source>Probe pass at epoch {epoch}, iteration {iteration}.</source>
        <translation>第 {epoch} 轮、第 {iteration} 次迭代时的探测前向传播。</translation>
    </message>
    <message>
        <source>Resume training to compare the modes, or compare once the run has ended.</source>
        <translation>继续训练后即可比较两种模式，或在训练结束后再比较。</translation>
    </message>
    <message>
        <source>Restored the weights of epoch {epoch}.</source>
        <translation>已恢复第 {epoch} 轮次的权重。</translation>
    </message>
    <message>
        <source>Train a model on this data, or open one, to compare the modes.</source>
        <translation>用这些数据训练一个模型或打开一个模型，即可比较两种模式。</translation>
    </message>
    <message>
        <source>{done} of {epochs} epochs complete, iteration {iteration}</source>
        <translation>已完成 {done}/{epochs} 轮，第 {iteration} 次迭代</translation>
    </message>
    <message>
        <source>Colour: the predicted class; pale: unsure.</source>
        <translation>颜色：预测的类别；颜色浅：不确定。</translation>
    </message>
    <message>
        <source>The trained model. {colours}</source>
        <translation>训练好的模型。{colours}</translation>
    </message>
    <message>
        <source>The opened model ({where}).</source>
        <translation>打开的模型（{where}）。</translation>
    </message>
    <message>
        <source>The trained model with the weights of epoch {epoch}, its best ({where}).</source>
        <translation>训练好的模型，使用第 {epoch} 轮（最佳一轮）的权重（{where}）。</translation>
    </message>
    <message>
        <source>The trained model ({where}).</source>
        <translation>训练好的模型（{where}）。</translation>
    </message>
    <message>
        <source>Open the model's data to see its points and its decision boundary.</source>
        <translation>打开模型的数据以查看其数据点和决策边界。</translation>
    </message>
    <message>
        <source>Reading the model's data...</source>
        <translation>正在读取模型的数据……</translation>
    </message>
    <message>
        <source>The model's data could not be read ({error}), so no decision boundary is drawn.</source>
        <translation>无法读取模型的数据（{error}），因此不绘制决策边界。</translation>
    </message>
    <message>
        <source>Probability of “{name}”, one validation sample:</source>
        <translation>一个验证集样本属于“{name}”的概率：</translation>
    </message>
    <message>
        <source>Predicted value, one validation sample:</source>
        <translation>一个验证集样本的预测值：</translation>
    </message>
</context>
<context>
    <name>LrFinderDialog</name>
    <message>
        <source>Find a learning rate</source>
        <translation>寻找学习率</translation>
    </message>
    <message>
        <source>Fresh weights train for one short pass while the learning rate rises from {start} to {end}. Where the loss falls fastest is a good learning rate; where it shoots up the steps are too large. Your trained model is not changed.</source>
        <translation>用全新的权重训练一小段，同时学习率从 {start} 升到 {end}。损失下降最快的地方就是合适的学习率；损失猛然上升的地方步长就太大了。你已训练的模型不会被改变。</translation>
    </message>
    <message>
        <source>Progress of the test</source>
        <translation>测试进度</translation>
    </message>
    <message>
        <source>Loss against learning rate</source>
        <translation>损失随学习率的变化</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Use this learning rate</source>
        <translation>使用这个学习率</translation>
    </message>
    <message>
        <source>Run again</source>
        <translation>再运行一次</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Learning rate (log scale)</source>
        <translation>学习率（对数刻度）</translation>
    </message>
    <message>
        <source>Training loss</source>
        <translation>训练损失</translation>
    </message>
    <message>
        <source>loss per iteration</source>
        <translation>每次迭代的损失</translation>
    </message>
    <message>
        <source>smoothed</source>
        <translation>平滑后</translation>
    </message>
    <message>
        <source>Running the test...</source>
        <translation>正在运行测试...</translation>
    </message>
    <message>
        <source>The test could not run: {message}</source>
        <translation>测试无法运行：{message}</translation>
    </message>
    <message>
        <source>stopped early: the loss diverged</source>
        <translation>提前停止：损失发散了</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>{iterations} iterations in {seconds} s ({ended}).</source>
        <translation>{iterations} 次迭代，用时 {seconds} 秒（{ended}）。</translation>
    </message>
    <message>
        <source>No suggestion: the test was stopped after {iterations} iterations, too few to judge. Run it again and let it finish.</source>
        <translation>没有建议：测试在 {iterations} 次迭代后就被停止，次数太少，无法判断。请重新运行并让它完成。</translation>
    </message>
    <message>
        <source>No suggestion: the loss diverged at once, even at the smallest learning rates. Check the data (very large or unscaled values, the wrong target column) and the model settings.</source>
        <translation>没有建议：即使在最小的学习率下，损失也立刻发散了。请检查数据（数值过大或未经缩放、目标列选错）以及模型设置。</translation>
    </message>
    <message>
        <source>No suggestion: {iterations} iterations are too few to judge.</source>
        <translation>没有建议：{iterations} 次迭代太少，无法判断。</translation>
    </message>
    <message>
        <source>No suggestion: the loss did not fall (by at least {percent} %) during the test, so no learning rate stands out.</source>
        <translation>没有建议：测试中损失没有下降（降幅不足 {percent} %），因此没有哪个学习率突出。</translation>
    </message>
    <message>
        <source>Suggested learning rate: {lr} (where the smoothed loss falls fastest, before it turns up).</source>
        <translation>建议的学习率：{lr}（平滑后的损失在回升之前下降最快的位置）。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Workbench</source>
        <translation>Workbench</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Try the model</source>
        <translation>试用模型</translation>
    </message>
    <message>
        <source>&amp;Open model...</source>
        <translation>打开模型(&amp;O)...</translation>
    </message>
    <message>
        <source>Open a saved .wbm model</source>
        <translation>打开已保存的 .wbm 模型</translation>
    </message>
    <message>
        <source>&amp;Save model</source>
        <translation>保存模型(&amp;S)</translation>
    </message>
    <message>
        <source>Save the trained model</source>
        <translation>保存训练好的模型</translation>
    </message>
    <message>
        <source>Save model &amp;as...</source>
        <translation>模型另存为(&amp;A)...</translation>
    </message>
    <message>
        <source>Open &amp;configuration...</source>
        <translation>打开配置(&amp;C)...</translation>
    </message>
    <message>
        <source>Load run settings from a TOML file</source>
        <translation>从 TOML 文件载入训练设置</translation>
    </message>
    <message>
        <source>Save c&amp;onfiguration...</source>
        <translation>保存配置(&amp;O)...</translation>
    </message>
    <message>
        <source>Save the run settings as a TOML file</source>
        <translation>把训练设置保存为 TOML 文件</translation>
    </message>
    <message>
        <source>Iteration plot as PNG...</source>
        <translation>迭代曲线图（PNG）...</translation>
    </message>
    <message>
        <source>Iteration losses as CSV...</source>
        <translation>迭代损失（CSV）...</translation>
    </message>
    <message>
        <source>Epoch plot as PNG...</source>
        <translation>轮次曲线图（PNG）...</translation>
    </message>
    <message>
        <source>Epoch metrics as CSV...</source>
        <translation>轮次指标（CSV）...</translation>
    </message>
    <message>
        <source>Model as &amp;ONNX...</source>
        <translation>模型导出为 &amp;ONNX...</translation>
    </message>
    <message>
        <source>For ONNX Runtime and other ONNX tools; verified before it is kept</source>
        <translation>供 ONNX Runtime 等 ONNX 工具使用；保存前会先校验</translation>
    </message>
    <message>
        <source>Model as PyTorch &amp;program (.pt2)...</source>
        <translation>模型导出为 PyTorch 程序(&amp;P)（.pt2）...</translation>
    </message>
    <message>
        <source>For inference in PyTorch with torch.export.load</source>
        <translation>用 torch.export.load 在 PyTorch 中推理</translation>
    </message>
    <message>
        <source>Model as training &amp;script...</source>
        <translation>模型导出为训练脚本(&amp;S)...</translation>
    </message>
    <message>
        <source>A Python file that reproduces this run, alone or under torchrun</source>
        <translation>可复现本次训练的 Python 文件，可单独运行或用 torchrun 运行</translation>
    </message>
    <message>
        <source>Write run &amp;logs</source>
        <translation>写入训练日志(&amp;L)</translation>
    </message>
    <message>
        <source>Each run writes its configuration, per-epoch metrics and per-iteration losses (CSV) to a folder in Documents/Workbench runs</source>
        <translation>每次训练把配置、每轮指标和每次迭代的损失（CSV）写入“文档/Workbench runs”中的一个文件夹</translation>
    </message>
    <message>
        <source>&amp;Predict CSV...</source>
        <translation>预测 CSV(&amp;P)...</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation>开始(&amp;S)</translation>
    </message>
    <message>
        <source>Start training with these settings</source>
        <translation>用这些设置开始训练</translation>
    </message>
    <message>
        <source>&amp;Pause / resume</source>
        <translation>暂停 / 继续(&amp;P)</translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation>停止(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Log scale</source>
        <translation>对数坐标(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Show all data</source>
        <translation>显示全部数据(&amp;S)</translation>
    </message>
    <message>
        <source>Takes effect after a restart</source>
        <translation>重启后生效</translation>
    </message>
    <message>
        <source>&amp;About Workbench</source>
        <translation>关于 Workbench(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>导出(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>The language takes effect after a restart.</source>
        <translation>语言设置将在重启后生效。</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>recovering {path}</source>
        <translation>恢复 {path}</translation>
    </message>
    <message>
        <source>Recovered the model from epoch {epoch} of the interrupted run; save it to keep it.</source>
        <translation>已从中断的训练中恢复第 {epoch} 轮的模型；请保存以免丢失。</translation>
    </message>
    <message>
        <source>Starting...</source>
        <translation>正在启动...</translation>
    </message>
    <message>
        <source>Training on {device}: {n} samples, batch {batch}, {ipe} iterations per epoch</source>
        <translation>在 {device} 上训练：{n} 个样本，批大小 {batch}，每轮 {ipe} 次迭代</translation>
    </message>
    <message>
        <source>Run log: {path}</source>
        <translation>训练日志：{path}</translation>
    </message>
    <message>
        <source>Training failed: see the message.</source>
        <translation>训练失败：请查看提示信息。</translation>
    </message>
    <message>
        <source>saving the model to {path}</source>
        <translation>把模型保存到 {path}</translation>
    </message>
    <message>
        <source>Saved the model to {path}</source>
        <translation>模型已保存到 {path}</translation>
    </message>
    <message>
        <source>opening {path}</source>
        <translation>打开 {path}</translation>
    </message>
    <message>
        <source>it cannot be found here ({error})</source>
        <translation>在此处找不到它（{error}）</translation>
    </message>
    <message>
        <source>it is not a folder</source>
        <translation>它不是文件夹</translation>
    </message>
    <message>
        <source>it is not a regular file</source>
        <translation>它不是普通文件</translation>
    </message>
    <message>
        <source>it is larger than {limit} MB</source>
        <translation>它大于 {limit} MB</translation>
    </message>
    <message>
        <source>Opening {path}...</source>
        <translation>正在打开 {path}...</translation>
    </message>
    <message>
        <source>Opened {path}</source>
        <translation>已打开 {path}</translation>
    </message>
    <message>
        <source>The model's training data</source>
        <translation>模型的训练数据</translation>
    </message>
    <message>
        <source>This model was trained on {path}, which is not available: {problem}.</source>
        <translation>此模型是在 {path} 上训练的，但该数据不可用：{problem}。</translation>
    </message>
    <message>
        <source>The model can be tried and exported without it. To train it further, open a table or image folder in the form.</source>
        <translation>没有它也可以试用和导出模型。若要继续训练，请在表单中打开一个表格或图像文件夹。</translation>
    </message>
    <message>
        <source>This model was trained on {path}. Open it?</source>
        <translation>此模型是在 {path} 上训练的。要打开它吗？</translation>
    </message>
    <message>
        <source>Opening it reads the data, shows its points and lets you train the model further.</source>
        <translation>打开后将读取数据、显示其数据点，并可继续训练模型。</translation>
    </message>
    <message>
        <source>Not now</source>
        <translation>暂不</translation>
    </message>
    <message>
        <source>Loaded the settings from {path}</source>
        <translation>已从 {path} 载入设置</translation>
    </message>
    <message>
        <source>saving the settings to {path}</source>
        <translation>把设置保存到 {path}</translation>
    </message>
    <message>
        <source>Saved the settings to {path}</source>
        <translation>设置已保存到 {path}</translation>
    </message>
    <message>
        <source>Clear the list</source>
        <translation>清空列表</translation>
    </message>
    <message>
        <source>Open model</source>
        <translation>打开模型</translation>
    </message>
    <message>
        <source>Save model</source>
        <translation>保存模型</translation>
    </message>
    <message>
        <source>Open configuration</source>
        <translation>打开配置</translation>
    </message>
    <message>
        <source>Save configuration</source>
        <translation>保存配置</translation>
    </message>
    <message>
        <source>writing {path}</source>
        <translation>写入 {path}</translation>
    </message>
    <message>
        <source>Wrote {path}</source>
        <translation>已写入 {path}</translation>
    </message>
    <message>
        <source>Save iteration plot</source>
        <translation>保存迭代曲线图</translation>
    </message>
    <message>
        <source>Save iteration losses</source>
        <translation>保存迭代损失</translation>
    </message>
    <message>
        <source>Save epoch plot</source>
        <translation>保存轮次曲线图</translation>
    </message>
    <message>
        <source>Save epoch metrics</source>
        <translation>保存轮次指标</translation>
    </message>
    <message>
        <source>Export the model</source>
        <translation>导出模型</translation>
    </message>
    <message>
        <source>Exported {path} ({size}, {seconds} s); on {rows} rows its answers match the window's (largest difference {diff}).</source>
        <translation>已导出 {path}（{size}，{seconds} 秒）；在 {rows} 行上，它的结果与窗口中的一致（最大差异 {diff}）。</translation>
    </message>
    <message>
        <source>Exported {path} ({size}, {seconds} s) and checked by running it.</source>
        <translation>已导出 {path}（{size}，{seconds} 秒），并已通过实际运行检验。</translation>
    </message>
    <message>
        <source>exporting the model to {path}</source>
        <translation>把模型导出到 {path}</translation>
    </message>
    <message>
        <source>Exporting the model to {path}...</source>
        <translation>正在把模型导出到 {path}...</translation>
    </message>
    <message>
        <source>Predict CSV: input file</source>
        <translation>预测 CSV：输入文件</translation>
    </message>
    <message>
        <source>Predict CSV: write predictions to</source>
        <translation>预测 CSV：预测结果写入</translation>
    </message>
    <message>
        <source>predicting {path}</source>
        <translation>预测 {path}</translation>
    </message>
    <message>
        <source>Wrote {n} predictions to {path}</source>
        <translation>已把 {n} 条预测写入 {path}</translation>
    </message>
    <message>
        <source>Open a table (CSV, TSV or Excel)</source>
        <translation>打开表格（CSV、TSV 或 Excel）</translation>
    </message>
    <message>
        <source>Tables (*.csv *.tsv *.txt *.xlsx *.xlsm *.xls *.csv.gz *.tsv.gz *.txt.gz *.gz *.bz2 *.xz *.zip);;All files (*)</source>
        <translation>表格 (*.csv *.tsv *.txt *.xlsx *.xlsm *.xls *.csv.gz *.tsv.gz *.txt.gz *.gz *.bz2 *.xz *.zip);;所有文件 (*)</translation>
    </message>
    <message>
        <source>reading {path}</source>
        <translation>读取 {path}</translation>
    </message>
    <message>
        <source>Open image folder (one sub-folder per class)</source>
        <translation>打开图像文件夹（每个类别一个子文件夹）</translation>
    </message>
    <message>
        <source>About Workbench</source>
        <translation>关于 Workbench</translation>
    </message>
    <message>
        <source>&lt;b&gt;Workbench {version}&lt;/b&gt;&lt;p&gt;Train neural networks by clicking: pick data, set epochs, batch size, dropout, optimizer and learning rate, press Start and watch the network learn.&lt;/p&gt;</source>
        <translation>&lt;b&gt;Workbench {version}&lt;/b&gt;&lt;p&gt;点一点就能训练神经网络：选择数据，设置轮次、批大小、Dropout、优化器和学习率，按“开始”，看着网络学习。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>{name}[*] - Workbench</source>
        <translation>{name}[*] - Workbench</translation>
    </message>
    <message>
        <source>Workbench[*]</source>
        <translation>Workbench[*]</translation>
    </message>
</context>
<context>
    <name>ModelDocument</name>
    <message>
        <source>Untitled</source>
        <translation>未命名</translation>
    </message>
    <message>
        <source>Unsaved model</source>
        <translation>未保存的模型</translation>
    </message>
    <message>
        <source>Training is still running and its model is not saved.</source>
        <translation>训练仍在进行，它的模型尚未保存。</translation>
    </message>
    <message>
        <source>The model from {name} has been trained further and is not saved.</source>
        <translation>来自 {name} 的模型又经过了训练，尚未保存。</translation>
    </message>
    <message>
        <source>The trained model is not saved.</source>
        <translation>训练好的模型尚未保存。</translation>
    </message>
    <message>
        <source>Save stops the run and saves its model; Discard stops it and closes the window without saving.</source>
        <translation>“保存”会停止训练并保存模型；“丢弃”会停止训练并关闭窗口，不保存。</translation>
    </message>
    <message>
        <source>Save it before closing? Otherwise it is lost.</source>
        <translation>关闭前要保存吗？否则它会丢失。</translation>
    </message>
    <message>
        <source>Save it before opening another model? Otherwise it is lost.</source>
        <translation>打开另一个模型之前要保存吗？否则它会丢失。</translation>
    </message>
    <message>
        <source>Save it before loading other settings?</source>
        <translation>载入其他设置之前要保存吗？</translation>
    </message>
    <message>
        <source>Save it before a new run replaces it? To train it further instead, tick "Continue from the current model".</source>
        <translation>新的训练会替换它，要先保存吗？如果想继续训练它，请勾选“从当前模型继续”。</translation>
    </message>
</context>
<context>
    <name>ModelPanel</name>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Network type</source>
        <translation>网络类型</translation>
    </message>
    <message>
        <source>Fully connected (MLP)</source>
        <translation>全连接（MLP）</translation>
    </message>
    <message>
        <source>Convolutional (CNN, images)</source>
        <translation>卷积（CNN，图像）</translation>
    </message>
    <message>
        <source>Hidden layers</source>
        <translation>隐藏层</translation>
    </message>
    <message>
        <source>none: a linear model</source>
        <translation>无：线性模型</translation>
    </message>
    <message>
        <source>Units per hidden layer, separated by commas: 64,64 is two layers of 64 units.</source>
        <translation>每个隐藏层的单元数，用逗号分隔：64,64 表示两层，每层 64 个单元。</translation>
    </message>
    <message>
        <source>Filters</source>
        <translation>卷积核数</translation>
    </message>
    <message>
        <source>Filters per convolution layer, separated by commas: 16,32 is two layers.</source>
        <translation>每个卷积层的卷积核数，用逗号分隔：16,32 表示两层。</translation>
    </message>
    <message>
        <source>Kernel size</source>
        <translation>卷积核大小</translation>
    </message>
    <message>
        <source>Pooling</source>
        <translation>池化</translation>
    </message>
    <message>
        <source>Max</source>
        <translation>最大</translation>
    </message>
    <message>
        <source>Average</source>
        <translation>平均</translation>
    </message>
    <message>
        <source>Activation</source>
        <translation>激活函数</translation>
    </message>
    <message>
        <source>Leaky ReLU</source>
        <translation>Leaky ReLU</translation>
    </message>
    <message>
        <source>SiLU (Swish)</source>
        <translation>SiLU（Swish）</translation>
    </message>
    <message>
        <source>sigmoid</source>
        <translation>sigmoid</translation>
    </message>
    <message>
        <source>softplus</source>
        <translation>softplus</translation>
    </message>
    <message>
        <source>Input dropout</source>
        <translation>输入层 Dropout</translation>
    </message>
    <message>
        <source>Hidden-layer dropout</source>
        <translation>隐藏层 Dropout</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关</translation>
    </message>
    <message>
        <source>Chance that each input is dropped in a training step; about 0.2 is typical. Nothing is dropped when predicting.</source>
        <translation>Dropout（丢弃）：训练时每个输入被丢弃的概率，通常约 0.2。预测时不丢弃。</translation>
    </message>
    <message>
        <source>Chance that each hidden unit is dropped in a training step; about 0.5 is typical. Nothing is dropped when predicting.</source>
        <translation>Dropout（丢弃）：训练时每个隐藏单元被丢弃的概率，通常约 0.5。预测时不丢弃。</translation>
    </message>
    <message>
        <source>Normalisation layers</source>
        <translation>归一化层</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>BatchNorm</source>
        <translation>BatchNorm</translation>
    </message>
    <message>
        <source>LayerNorm</source>
        <translation>LayerNorm</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>网络</translation>
    </message>
    <message>
        <source>Hidden dropout</source>
        <translation>隐藏层 Dropout</translation>
    </message>
    <message>
        <source>Normalisation</source>
        <translation>归一化</translation>
    </message>
</context>
<context>
    <name>NetworkPanel</name>
    <message>
        <source>&lt;b&gt;Dropout&lt;/b&gt;</source>
        <translation>&lt;b&gt;Dropout（丢弃）&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Train vs eval</source>
        <translation>训练 vs 评估</translation>
    </message>
    <message>
        <source>Compare training and evaluation mode</source>
        <translation>比较训练模式与评估模式</translation>
    </message>
    <message>
        <source>Feed one sample through the current model ten times with Dropout in training mode and ten times in evaluation mode, and compare the outputs.</source>
        <translation>把一个样本送入当前模型：Dropout 处于训练模式时运行十次，处于评估模式时再运行十次，比较输出。</translation>
    </message>
    <message>
        <source>Start training to see the network and which units Dropout switches off.</source>
        <translation>开始训练，即可看到网络以及 Dropout 关闭了哪些单元。</translation>
    </message>
    <message>
        <source>training mode</source>
        <translation>训练模式</translation>
    </message>
    <message>
        <source>{n} of {width}</source>
        <translation>{width} 个中的 {n} 个</translation>
    </message>
    <message>
        <source>&lt;b&gt;Dropped in this pass:&lt;/b&gt; {counts}</source>
        <translation>&lt;b&gt;本次传播中被丢弃：&lt;/b&gt;{counts}</translation>
    </message>
    <message>
        <source>Grey: units Dropout switches off in one training pass for one sample (a probe with the current weights, redrawn a few times a second). Each unit is dropped with probability p, afresh every step.</source>
        <translation>灰色：对一个样本做一次训练模式前向传播时被 Dropout 关闭的单元（用当前权重的探测传播，每秒重绘几次）。每个单元以概率 p 被丢弃，每一步重新抽取。</translation>
    </message>
    <message>
        <source>evaluation mode</source>
        <translation>评估模式</translation>
    </message>
    <message>
        <source>Evaluation mode: nothing is dropped, every unit works. (Training scaled the kept units by 1/(1-p), so no change is needed now.)</source>
        <translation>评估模式：不丢弃任何单元，所有单元都参与计算。（训练时已把保留的单元乘以 1/(1-p)，所以现在无需调整。）</translation>
    </message>
    <message>
        <source>No Dropout in this model: both modes give the same outputs. Set a Dropout rate above 0 to see a difference.</source>
        <translation>此模型没有 Dropout：两种模式的输出相同。把 Dropout 丢弃率设为大于 0 即可看到差别。</translation>
    </message>
    <message>
        <source>This model has no Dropout (rate 0), so no unit is ever dropped. Set a Dropout rate above 0 in the model settings to see units switched off.</source>
        <translation>此模型没有 Dropout（丢弃率为 0），因此不会丢弃任何单元。在模型设置中把 Dropout 丢弃率设为大于 0，即可看到单元被关闭。</translation>
    </message>
</context>
<context>
    <name>OverlayPlot</name>
    <message>
        <source>Curve to compare</source>
        <translation>要比较的曲线</translation>
    </message>
    <message>
        <source>Validation loss</source>
        <translation>验证集损失</translation>
    </message>
    <message>
        <source>Training loss</source>
        <translation>训练集损失</translation>
    </message>
    <message>
        <source>Validation accuracy (%)</source>
        <translation>验证集准确率（%）</translation>
    </message>
    <message>
        <source>Training accuracy (%)</source>
        <translation>训练集准确率（%）</translation>
    </message>
    <message>
        <source>Log scale</source>
        <translation>对数坐标</translation>
    </message>
    <message>
        <source>Logarithmic loss axis</source>
        <translation>对数损失坐标轴</translation>
    </message>
    <message>
        <source>Small differences between low losses show better on a logarithmic axis</source>
        <translation>在对数坐标轴上，较低损失之间的细微差别更容易看清</translation>
    </message>
    <message>
        <source>Epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>Compare:</source>
        <translation>比较：</translation>
    </message>
    <message>
        <source>Select runs to overlay their curves.</source>
        <translation>选择训练以叠加显示它们的曲线。</translation>
    </message>
    <message>
        <source>Not recorded for: {runs}</source>
        <translation>以下训练没有此项记录：{runs}</translation>
    </message>
</context>
<context>
    <name>Pacing</name>
    <message>
        <source>Step 1 &amp;iteration</source>
        <translation>单步 1 次迭代(&amp;I)</translation>
    </message>
    <message>
        <source>Step 1 &amp;epoch</source>
        <translation>单步 1 轮(&amp;E)</translation>
    </message>
    <message>
        <source>Spee&amp;d</source>
        <translation>速度(&amp;D)</translation>
    </message>
    <message>
        <source>Training to the end of this epoch, then pausing...</source>
        <translation>正在训练到这一轮结束，然后暂停...</translation>
    </message>
    <message>
        <source>Paused after iteration {iteration} (epoch {epoch}, batch {batch} of {batches}). Step again, or Resume.</source>
        <translation>已在第 {iteration} 次迭代后暂停（第 {epoch} 轮，批次 {batch} / {batches}）。可再单步，或继续。</translation>
    </message>
</context>
<context>
    <name>PlotsPanel</name>
    <message>
        <source>Smoothing</source>
        <translation>平滑</translation>
    </message>
    <message>
        <source>Weight of the exponential moving average drawn over the loss of each iteration (0 = off, 0.99 = very smooth).</source>
        <translation>叠加在每次迭代损失上的指数移动平均的权重（0 = 关闭，0.99 = 非常平滑）。</translation>
    </message>
    <message>
        <source>Log scale</source>
        <translation>对数坐标</translation>
    </message>
    <message>
        <source>Logarithmic loss axis</source>
        <translation>损失轴使用对数刻度</translation>
    </message>
    <message>
        <source>Point at a curve to read its values; right-click a plot to save it as PNG or CSV; drag or scroll to zoom.</source>
        <translation>鼠标指向曲线可读数；右键点图可保存为 PNG 或 CSV；拖动或滚轮可缩放。</translation>
    </message>
    <message>
        <source>Point at a curve to read its values; right-click to save; scroll to zoom.</source>
        <translation>鼠标指向曲线可读数；右键可保存；滚轮可缩放。</translation>
    </message>
    <message>
        <source>Point at a curve to read its values.</source>
        <translation>鼠标指向曲线可读数。</translation>
    </message>
    <message>
        <source>Point at a curve.</source>
        <translation>指向曲线。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Loss per iteration&lt;/b&gt;</source>
        <translation>&lt;b&gt;每次迭代的损失&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;Per epoch&lt;/b&gt;: mean training loss, validation loss and accuracy</source>
        <translation>&lt;b&gt;每轮&lt;/b&gt;：平均训练损失、验证损失和准确率</translation>
    </message>
</context>
<context>
    <name>PredictPanel</name>
    <message>
        <source>Train a model (Start) or open one (File &gt; Open model...) to try it here.</source>
        <translation>训练一个模型（开始），或打开一个（文件 &gt; 打开模型...），就能在这里试用。</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Prediction map</source>
        <translation>预测图</translation>
    </message>
    <message>
        <source>Click anywhere on the map to see what the model predicts there. Colours: the predicted class, paler where it is less sure.</source>
        <translation>点击图上任意位置，查看模型在那里的预测。颜色表示预测的类别，越浅表示越不确定。</translation>
    </message>
    <message>
        <source>Inputs to predict</source>
        <translation>要预测的输入</translation>
    </message>
    <message>
        <source>Predict this row</source>
        <translation>预测这一行</translation>
    </message>
    <message>
        <source>Type the inputs (raw values, as in the data file) and predict:</source>
        <translation>输入各项数值（与数据文件中的原始值相同），然后预测：</translation>
    </message>
    <message>
        <source>Prediction</source>
        <translation>预测</translation>
    </message>
    <message>
        <source>Predict CSV...</source>
        <translation>预测 CSV...</translation>
    </message>
    <message>
        <source>Predict every row of a CSV file</source>
        <translation>预测 CSV 文件的每一行</translation>
    </message>
    <message>
        <source>Change any input: the prediction below follows. A number left empty, or (missing), is a missing value, filled in as in training.</source>
        <translation>修改任意输入，下方的预测会随之更新。数字留空或为“（缺失）”即为缺失值，会像训练时一样被填补。</translation>
    </message>
    <message>
        <source>Validation row to start from</source>
        <translation>作为起点的验证集行</translation>
    </message>
    <message>
        <source>The validation row's actual value</source>
        <translation>该验证集行的实际值</translation>
    </message>
    <message>
        <source>Start from validation row</source>
        <translation>从验证集的第几行开始</translation>
    </message>
    <message>
        <source>Data set</source>
        <translation>数据集</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>classification into {n} classes</source>
        <translation>{n} 类分类</translation>
    </message>
    <message>
        <source>regression</source>
        <translation>回归</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>网络</translation>
    </message>
    <message>
        <source>{kind}, hidden layers {hidden}, {params} parameters</source>
        <translation>{kind}，隐藏层 {hidden}，{params} 个参数</translation>
    </message>
    <message>
        <source>Trained</source>
        <translation>已训练</translation>
    </message>
    <message>
        <source>{epochs} epochs, {iterations} iterations, {seconds} s on {device}</source>
        <translation>{epochs} 轮，{iterations} 次迭代，在 {device} 上用时 {seconds} 秒</translation>
    </message>
    <message>
        <source>training loss</source>
        <translation>训练损失</translation>
    </message>
    <message>
        <source>validation loss</source>
        <translation>验证损失</translation>
    </message>
    <message>
        <source>validation accuracy {acc} %</source>
        <translation>验证准确率 {acc} %</translation>
    </message>
    <message>
        <source>best epoch {epoch}</source>
        <translation>最佳轮次 {epoch}</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>At ({x}, {y})</source>
        <translation>在 ({x}, {y}) 处</translation>
    </message>
    <message>
        <source>{column}: {text!r} is not a number.</source>
        <translation>{column}：{text!r} 不是数字。</translation>
    </message>
    <message>
        <source>Every input must be a finite number.</source>
        <translation>每个输入都必须是有限的数字。</translation>
    </message>
    <message>
        <source>This row</source>
        <translation>这一行</translation>
    </message>
    <message>
        <source>its actual class is {name}.</source>
        <translation>它的实际类别是 {name}。</translation>
    </message>
    <message>
        <source>its actual {target} is {value}.</source>
        <translation>它的实际 {target} 为 {value}。</translation>
    </message>
    <message>
        <source>value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Predicted {target}: {value}</source>
        <translation>预测的 {target}：{value}</translation>
    </message>
    <message>
        <source>These inputs</source>
        <translation>这些输入</translation>
    </message>
    <message>
        <source>Missing, filled in as in training: {columns}.</source>
        <translation>缺失，已像训练时一样填补：{columns}。</translation>
    </message>
    <message>
        <source>Not seen in training, so counted as (other): {columns}.</source>
        <translation>训练中没见过，因此按 (other)（其他）计：{columns}。</translation>
    </message>
    <message>
        <source>of {n}: {actual}</source>
        <translation>（共 {n} 行）：{actual}</translation>
    </message>
    <message>
        <source>(You have changed its inputs.)</source>
        <translation>（你已修改了它的输入。）</translation>
    </message>
    <message>
        <source>{where}: predicted value {value}</source>
        <translation>{where}：预测值 {value}</translation>
    </message>
    <message>
        <source>{where}: {name} ({p} %). Probabilities: {listing}</source>
        <translation>{where}：{name}（{p} %）。各类概率：{listing}</translation>
    </message>
</context>
<context>
    <name>ProbabilityBars</name>
    <message>
        <source>Class probabilities</source>
        <translation>各类别概率</translation>
    </message>
</context>
<context>
    <name>RegressionView</name>
    <message>
        <source>R², MAE and RMSE beside the baseline</source>
        <translation>R²、MAE 和 RMSE 与基线对比</translation>
    </message>
    <message>
        <source>This model</source>
        <translation>本模型</translation>
    </message>
    <message>
        <source>Always the mean
(baseline)</source>
        <translation>始终预测均值
（基线）</translation>
    </message>
    <message>
        <source>Predicting the mean of the training split for every sample, whatever its inputs: what an R² of 0 stands for.</source>
        <translation>不论输入是什么，对每个样本都预测训练集的均值：这就是 R² 为 0 的含义。</translation>
    </message>
    <message>
        <source>R² (coefficient of determination): 1 is perfect, 0 is no better than always predicting the mean, below 0 is worse than that.</source>
        <translation>R²（决定系数）：1 表示完美，0 表示并不比始终预测均值更好，低于 0 表示比那还差。</translation>
    </message>
    <message>
        <source>Mean absolute error: how far a prediction misses on average, in the target's own units.</source>
        <translation>平均绝对误差：预测平均偏离多少，单位与目标值相同。</translation>
    </message>
    <message>
        <source>Root mean squared error, in the target's own units: like MAE, but large misses weigh more.</source>
        <translation>均方根误差，单位与目标值相同：与 MAE 类似，但大的偏差权重更大。</translation>
    </message>
    <message>
        <source>What the figures mean</source>
        <translation>这些指标的含义</translation>
    </message>
    <message>
        <source>Predicted against actual values</source>
        <translation>预测值与实际值对比</translation>
    </message>
    <message>
        <source>Histogram of the residuals</source>
        <translation>残差直方图</translation>
    </message>
    <message>
        <source>Each dot is a validation sample. On the dashed line the prediction equals the actual value; above it the model predicts too high, below it too low.</source>
        <translation>每个点是一个验证集样本。在虚线上，预测值等于实际值；虚线上方表示模型预测偏高，下方表示偏低。</translation>
    </message>
    <message>
        <source>disease progression</source>
        <translation>病情进展</translation>
    </message>
    <message>
        <source>value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>the training split's mean</source>
        <translation>训练集的均值</translation>
    </message>
    <message>
        <source>the mean of these samples</source>
        <translation>这些样本的均值</translation>
    </message>
    <message>
        <source>MAE and RMSE are in the units of {target}. The baseline predicts {mean} ({source}) for every sample, whatever its inputs: an R² of 0 means no better than that, 1 means every prediction is exact.</source>
        <translation>MAE 和 RMSE 的单位与 {target} 相同。基线不论输入是什么，对每个样本都预测 {mean}（{source}）：R² 为 0 表示并不比它更好，为 1 表示每个预测都完全准确。</translation>
    </message>
    <message>
        <source>Actual {actual}, predicted {predicted}</source>
        <translation>实际值 {actual}，预测值 {predicted}</translation>
    </message>
    <message>
        <source>Actual {target}</source>
        <translation>实际 {target}</translation>
    </message>
    <message>
        <source>Predicted {target}</source>
        <translation>预测 {target}</translation>
    </message>
    <message>
        <source>Actual − predicted {target}</source>
        <translation>实际 − 预测 {target}</translation>
    </message>
    <message>
        <source>Samples</source>
        <translation>样本数</translation>
    </message>
    <message>
        <source>Actual minus predicted value of each validation sample: below 0 the model predicted too high, above 0 too low. Mean {mean}, largest miss {largest}.</source>
        <translation>每个验证集样本的实际值减去预测值：小于 0 表示模型预测偏高，大于 0 表示偏低。均值 {mean}，最大偏差 {largest}。</translation>
    </message>
</context>
<context>
    <name>RunControls</name>
    <message>
        <source>As fast as possible</source>
        <translation>尽可能快</translation>
    </message>
    <message>
        <source>1 iteration/s</source>
        <translation>每秒 1 次迭代</translation>
    </message>
    <message>
        <source>{n} iterations/s</source>
        <translation>每秒 {n} 次迭代</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Start training</source>
        <translation>开始训练</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Pause or resume training</source>
        <translation>暂停或继续训练</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop training</source>
        <translation>停止训练</translation>
    </message>
    <message>
        <source>Continue from the current model</source>
        <translation>从当前模型继续</translation>
    </message>
    <message>
        <source>Continue training from the current model</source>
        <translation>从当前模型继续训练</translation>
    </message>
    <message>
        <source>Start from the weights of the last run or the opened model instead of fresh random weights. The network's layers must stay the same.</source>
        <translation>从上次训练或已打开模型的权重开始，而不是重新随机初始化。网络的层结构必须保持不变。</translation>
    </message>
    <message>
        <source>Start, pause, stop</source>
        <translation>开始、暂停、停止</translation>
    </message>
    <message>
        <source>Training speed</source>
        <translation>训练速度</translation>
    </message>
    <message>
        <source>How fast training runs: as fast as the computer can, or slowed down to a number of iterations (weight updates) per second so each batch can be watched. Takes effect at once, also during a run.</source>
        <translation>训练的速度：计算机能跑多快就多快，或放慢到每秒若干次迭代（权重更新），以便观察每个批次。立即生效，训练进行中也一样。</translation>
    </message>
    <message>
        <source>Speed:</source>
        <translation>速度：</translation>
    </message>
    <message>
        <source>Step 1 iteration</source>
        <translation>单步 1 次迭代</translation>
    </message>
    <message>
        <source>Step 1 epoch</source>
        <translation>单步 1 轮</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <source>Train exactly one more iteration (one batch), then pause: every view shows the state after it. Starts a paused run when none is under way.</source>
        <translation>再训练恰好一次迭代（一个批次），然后暂停：每个视图都显示这一步之后的状态。若没有正在进行的训练，则以暂停状态开始一次训练。</translation>
    </message>
    <message>
        <source>Train to the end of the current epoch (its validation included), then pause. Starts a paused run when none is under way.</source>
        <translation>训练到当前这一轮结束（包括其验证），然后暂停。若没有正在进行的训练，则以暂停状态开始一次训练。</translation>
    </message>
    <message>
        <source>{tip} ({keys})</source>
        <translation>{tip}（{keys}）</translation>
    </message>
    <message>
        <source>Start training ({keys})</source>
        <translation>开始训练（{keys}）</translation>
    </message>
    <message>
        <source>Pause or resume ({keys})</source>
        <translation>暂停或继续（{keys}）</translation>
    </message>
    <message>
        <source>Stop after the current iteration; the model is kept ({keys})</source>
        <translation>在当前迭代结束后停止；模型会保留（{keys}）</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
</context>
<context>
    <name>RunOutcomeView</name>
    <message>
        <source>Stopped before the first epoch ended: the model keeps its starting weights.</source>
        <translation>在第一轮结束之前已停止：模型保留其初始权重。</translation>
    </message>
    <message>
        <source>Early stopping after {done} epochs: the validation loss stopped improving.</source>
        <translation>{done} 轮后提前停止：验证集损失不再改善。</translation>
    </message>
    <message>
        <source>Stopped after {done} of {epochs} epochs.</source>
        <translation>在 {epochs} 轮中的第 {done} 轮后停止。</translation>
    </message>
    <message>
        <source>Validation accuracy {accuracy} % at epoch {epoch} of {epochs} (chance {chance} %).</source>
        <translation>第 {epoch} 轮（共 {epochs} 轮）的验证准确率为 {accuracy} %（随机水平 {chance} %）。</translation>
    </message>
    <message>
        <source>Validation accuracy {accuracy} % at epoch {epoch} of {epochs}.</source>
        <translation>第 {epoch} 轮（共 {epochs} 轮）的验证准确率为 {accuracy} %。</translation>
    </message>
    <message>
        <source>Validation R² {r2} at epoch {epoch} of {epochs} (1 is perfect, 0 no better than always predicting the mean).</source>
        <translation>第 {epoch} 轮（共 {epochs} 轮）的验证集 R² 为 {r2}（1 为完美，0 表示不比总是预测平均值更好）。</translation>
    </message>
    <message>
        <source>Training loss {loss} at epoch {epoch} of {epochs} (no validation split to judge the model by).</source>
        <translation>第 {epoch} 轮（共 {epochs} 轮）的训练集损失为 {loss}（没有验证集可用来评判模型）。</translation>
    </message>
    <message>
        <source>The model keeps the weights of epoch {epoch}, the best validation loss.</source>
        <translation>模型保留第 {epoch} 轮的权重，即验证集损失最低的一轮。</translation>
    </message>
    <message>
        <source>The model keeps the weights of epoch {epoch}, the last one.</source>
        <translation>模型保留第 {epoch} 轮（最后一轮）的权重。</translation>
    </message>
    <message>
        <source>Overfitting: the validation loss has risen for {epochs} epochs since epoch {best} ({best_loss} → {loss}) while the training loss kept falling.</source>
        <translation>过拟合：自第 {best} 轮以来，验证集损失已连续 {epochs} 轮高于最低点（{best_loss} → {loss}），而训练集损失仍在下降。</translation>
    </message>
    <message>
        <source>The model is no better than chance: see the Training tab.</source>
        <translation>模型并不比随机猜测更好：请查看“训练”标签页。</translation>
    </message>
</context>
<context>
    <name>RunStatus</name>
    <message>
        <source>Epoch {epoch}/{epochs}</source>
        <translation>轮次 {epoch}/{epochs}</translation>
    </message>
    <message>
        <source>Iteration {i}/{n}</source>
        <translation>迭代 {i}/{n}</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>{rate} it/s</source>
        <translation>{rate} 次迭代/秒</translation>
    </message>
    <message>
        <source>– it/s</source>
        <translation>– 次迭代/秒</translation>
    </message>
    <message>
        <source>Elapsed {elapsed}, left {eta}</source>
        <translation>已用 {elapsed}，剩余 {eta}</translation>
    </message>
    <message>
        <source>Stopped during epoch {epoch}, after {epochs} complete epochs ({iterations} iterations, {seconds} s); the model is kept.</source>
        <translation>在第 {epoch} 轮中途停止，已完成 {epochs} 轮（{iterations} 次迭代，{seconds} 秒）；模型已保留。</translation>
    </message>
    <message>
        <source>Stopped after {epochs} epochs ({iterations} iterations, {seconds} s); the model is kept.</source>
        <translation>在 {epochs} 轮后停止（{iterations} 次迭代，{seconds} 秒）；模型已保留。</translation>
    </message>
    <message>
        <source>Early stopping after {epochs} epochs: the validation loss stopped improving; best epoch {best}.</source>
        <translation>{epochs} 轮后提前停止：验证损失不再下降；最佳轮次为第 {best} 轮。</translation>
    </message>
    <message>
        <source>Finished {epochs} epochs ({iterations} iterations) in {seconds} s.</source>
        <translation>已完成 {epochs} 轮（{iterations} 次迭代），用时 {seconds} 秒。</translation>
    </message>
    <message>
        <source>Epoch –</source>
        <translation>轮次 –</translation>
    </message>
    <message>
        <source>Iteration –</source>
        <translation>迭代 –</translation>
    </message>
    <message>
        <source>Iteration {i}</source>
        <translation>迭代 {i}</translation>
    </message>
    <message>
        <source>The epoch in progress and the iterations (weight updates) done.</source>
        <translation>正在进行的轮次，以及已完成的迭代（权重更新）次数。</translation>
    </message>
    <message>
        <source>The opened model was trained for {epochs} epochs ({iterations} iterations).</source>
        <translation>打开的模型训练了 {epochs} 轮（{iterations} 次迭代）。</translation>
    </message>
    <message>
        <source>The run completed {epochs} epochs ({iterations} iterations).</source>
        <translation>本次训练完成了 {epochs} 轮（{iterations} 次迭代）。</translation>
    </message>
    <message>
        <source>It stopped {done} iterations into epoch {epoch}.</source>
        <translation>它在第 {epoch} 轮进行了 {done} 次迭代时停止。</translation>
    </message>
</context>
<context>
    <name>SampleStrip</name>
    <message>
        <source>Sample images per class</source>
        <translation>每个类别的样本图像</translation>
    </message>
    <message>
        <source>The first training images of each class.</source>
        <translation>每个类别的前几张训练图像。</translation>
    </message>
</context>
<context>
    <name>SpreadView</name>
    <message>
        <source>train</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>eval</source>
        <translation>评估</translation>
    </message>
    <message>
        <source>{n} different, {lo} to {hi}</source>
        <translation>{n} 个不同值，{lo} 至 {hi}</translation>
    </message>
    <message>
        <source>{value} all ten times</source>
        <translation>十次均为 {value}</translation>
    </message>
    <message>
        <source>{lo} to {hi}</source>
        <translation>{lo} 至 {hi}</translation>
    </message>
    <message>
        <source>{what}&lt;br&gt;&lt;b&gt;Training mode&lt;/b&gt;: {train}&lt;br&gt;&lt;b&gt;Evaluation mode&lt;/b&gt;: {evals}</source>
        <translation>{what}&lt;br&gt;&lt;b&gt;训练模式&lt;/b&gt;：{train}&lt;br&gt;&lt;b&gt;评估模式&lt;/b&gt;：{evals}</translation>
    </message>
    <message>
        <source>Training mode: {train}
Evaluation mode: {evals}</source>
        <translation>训练模式：{train}
评估模式：{evals}</translation>
    </message>
</context>
<context>
    <name>TableRowEditor</name>
    <message>
        <source>(missing)</source>
        <translation>（缺失）</translation>
    </message>
    <message>
        <source>{n} more columns are not shown here; they keep the values of the row the fields started from.</source>
        <translation>另有 {n} 列没有在这里显示；它们沿用这些输入框起始那一行的值。</translation>
    </message>
    <message>
        <source>A category: one of the {n} seen in training, or {missing}. Any other text counts as (other).</source>
        <translation>类别：训练中见过的 {n} 个类别之一，或 {missing}。其他任何文本都按 (other)（其他）计。</translation>
    </message>
    <message>
        <source>A number. Left empty, it is missing: the model uses the training median, {median}.</source>
        <translation>数字。留空即为缺失：模型会使用训练集的中位数 {median}。</translation>
    </message>
    <message>
        <source>e.g. {example}</source>
        <translation>例如 {example}</translation>
    </message>
    <message>
        <source>A date, such as {example} (or written as 2024-03-31). Left empty, it is missing.</source>
        <translation>日期，例如 {example}（也可写成 2024-03-31）。留空即为缺失。</translation>
    </message>
    <message>
        <source>{column}: “{text}” is not a number. Leave it empty for a missing value.</source>
        <translation>{column}：“{text}”不是数字。缺失值请留空。</translation>
    </message>
    <message>
        <source>{column}: “{text}” is not a date such as {example}.</source>
        <translation>{column}：“{text}”不是 {example} 这样的日期。</translation>
    </message>
</context>
<context>
    <name>TrainingPanel</name>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>An epoch is one pass of the whole training set through the network.</source>
        <translation>一轮（epoch）就是整个训练集在网络中完整过一遍。</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <source>Samples per weight update (one iteration). Small batches: more, noisier updates; large batches: fewer, smoother ones.</source>
        <translation>每次更新权重（一次迭代）用的样本数。批小：更新次数多、噪声大；批大：更新次数少、更平稳。</translation>
    </message>
    <message>
        <source>Drop the last partial batch</source>
        <translation>丢弃最后不完整的批次</translation>
    </message>
    <message>
        <source>Optimizer</source>
        <translation>优化器</translation>
    </message>
    <message>
        <source>SGD</source>
        <translation>SGD</translation>
    </message>
    <message>
        <source>SGD with momentum</source>
        <translation>带动量的 SGD</translation>
    </message>
    <message>
        <source>RMSprop</source>
        <translation>RMSprop</translation>
    </message>
    <message>
        <source>Adam</source>
        <translation>Adam</translation>
    </message>
    <message>
        <source>AdamW</source>
        <translation>AdamW</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>Step size of each update. Too large diverges (the loss grows or becomes NaN); too small crawls. Arrows step by x1.78 on a log scale; type any value.</source>
        <translation>每次更新的步长。太大会发散（损失变大或变成 NaN）；太小则学得很慢。箭头按对数刻度每次乘或除以 1.78；也可直接输入任意值。</translation>
    </message>
    <message>
        <source>Momentum</source>
        <translation>动量</translation>
    </message>
    <message>
        <source>Nesterov</source>
        <translation>Nesterov</translation>
    </message>
    <message>
        <source>Nesterov momentum</source>
        <translation>Nesterov 动量</translation>
    </message>
    <message>
        <source>Weight decay</source>
        <translation>权重衰减</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关</translation>
    </message>
    <message>
        <source>Learning-rate schedule</source>
        <translation>学习率调度</translation>
    </message>
    <message>
        <source>Constant</source>
        <translation>恒定</translation>
    </message>
    <message>
        <source>Step: multiply every N epochs</source>
        <translation>阶梯：每 N 轮乘一次</translation>
    </message>
    <message>
        <source>Cosine to zero</source>
        <translation>余弦降到零</translation>
    </message>
    <message>
        <source>Lower on plateau</source>
        <translation>停滞时降低</translation>
    </message>
    <message>
        <source>Every</source>
        <translation>每</translation>
    </message>
    <message>
        <source> epochs</source>
        <translation> 轮</translation>
    </message>
    <message>
        <source>Factor</source>
        <translation>倍数</translation>
    </message>
    <message>
        <source>Plateau patience</source>
        <translation>停滞容忍轮数</translation>
    </message>
    <message>
        <source>Early-stopping patience</source>
        <translation>提前停止容忍轮数</translation>
    </message>
    <message>
        <source>Stop when the validation loss has not improved for this many epochs, and keep the weights of the best epoch.</source>
        <translation>验证损失连续这么多轮没有改善就停止，并保留最佳轮次的权重。</translation>
    </message>
    <message>
        <source>Random seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>The same seed and settings give the same run.</source>
        <translation>相同的种子和设置会得到相同的训练结果。</translation>
    </message>
    <message>
        <source>LR schedule</source>
        <translation>学习率调度</translation>
    </message>
    <message>
        <source>Early stopping</source>
        <translation>提前停止</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <source>Iterations per epoch = training samples / batch size, rounded up.</source>
        <translation>每轮迭代次数 = 训练样本数 ÷ 批大小，向上取整。</translation>
    </message>
    <message>
        <source>Batch size {batch} is larger than the {n} training samples: use {n} or less ({n} is full-batch training).</source>
        <translation>批大小 {batch} 大于训练样本数 {n}：请用 {n} 或更小（{n} 即全批量训练）。</translation>
    </message>
    <message>
        <source>No full batch of {batch} in {n} training samples: lower the batch size.</source>
        <translation>{n} 个训练样本凑不满一个大小为 {batch} 的批次：请减小批大小。</translation>
    </message>
    <message>
        <source>{n} samples / batch {batch} = {ipe} iterations per epoch; {total} iterations in all.</source>
        <translation>{n} 个样本 ÷ 批大小 {batch} = 每轮 {ipe} 次迭代；共 {total} 次迭代。</translation>
    </message>
    <message>
        <source>{n} samples / batch {batch} = {ipe} iterations per epoch ({full} of {batch} and a last one of {last}); {total} iterations in all.</source>
        <translation>{n} 个样本 ÷ 批大小 {batch} = 每轮 {ipe} 次迭代（{full} 个 {batch} 的整批，最后一批 {last} 个）；共 {total} 次迭代。</translation>
    </message>
</context>
<context>
    <name>ViewOptions</name>
    <message>
        <source>&amp;Presentation mode</source>
        <translation>演示模式(&amp;P)</translation>
    </message>
    <message>
        <source>Large type and thick curves for a projector; advanced settings folded away.</source>
        <translation>适合投影仪的大字体和粗曲线；高级设置收起。</translation>
    </message>
    <message>
        <source>&amp;Light</source>
        <translation>浅色(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Dark</source>
        <translation>深色(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;System</source>
        <translation>跟随系统(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>主题(&amp;T)</translation>
    </message>
</context>
<context>
    <name>_LossPlotBase</name>
    <message>
        <source>Save plot as PNG...</source>
        <extracomment>text describing the point under the mouse ("" when the mouse leaves the plot) the user asked to save this plot as PNG / its data as CSV (the window asks for a path)</extracomment>
        <translation>把图保存为 PNG...</translation>
    </message>
    <message>
        <source>Save data as CSV...</source>
        <translation>把数据保存为 CSV...</translation>
    </message>
    <message>
        <source>The image could not be written to {path}.</source>
        <translation>无法把图像写入 {path}。</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>Open the Workbench window.</source>
        <translation>打开 Workbench 窗口。</translation>
    </message>
    <message>
        <source>a model (.wbm) or run configuration (.toml) to open</source>
        <translation>要打开的模型（.wbm）或训练配置（.toml）</translation>
    </message>
    <message>
        <source>start with the settings of this run configuration</source>
        <translation>以该训练配置的设置启动</translation>
    </message>
    <message>
        <source>reading {path}</source>
        <translation>读取 {path}</translation>
    </message>
</context>
<context>
    <name>comparison</name>
    <message>
        <source>SGD</source>
        <translation>SGD</translation>
    </message>
    <message>
        <source>SGD with momentum</source>
        <translation>带动量的 SGD</translation>
    </message>
    <message>
        <source>RMSprop</source>
        <translation>RMSprop</translation>
    </message>
    <message>
        <source>Adam</source>
        <translation>Adam</translation>
    </message>
    <message>
        <source>AdamW</source>
        <translation>AdamW</translation>
    </message>
    <message>
        <source>Batch size {size} skipped: the training set has only {n} samples.</source>
        <translation>已跳过批大小 {size}：训练集只有 {n} 个样本。</translation>
    </message>
    <message>
        <source>Batch sizes</source>
        <translation>批大小</translation>
    </message>
    <message>
        <source>Batch size {size}</source>
        <translation>批大小 {size}</translation>
    </message>
    <message>
        <source>Optimizers</source>
        <translation>优化器</translation>
    </message>
    <message>
        <source>All at learning rate {lr}.</source>
        <translation>学习率均为 {lr}。</translation>
    </message>
    <message>
        <source>Dropout off</source>
        <translation>Dropout 关</translation>
    </message>
    <message>
        <source>Dropout rates</source>
        <translation>Dropout（丢弃）率</translation>
    </message>
    <message>
        <source>The model has no hidden layers: dropout changes nothing.</source>
        <translation>模型没有隐藏层：Dropout（丢弃）不起作用。</translation>
    </message>
    <message>
        <source>Dropout {rate}</source>
        <translation>Dropout {rate}</translation>
    </message>
</context>
<context>
    <name>core</name>
    <message>
        <source>{name} = {value!r} is not text.</source>
        <extracomment>Every message template of workbench.config and workbench.core (tests check the list is whole).</extracomment>
        <translation>{name} = {value!r} 不是文本。</translation>
    </message>
    <message>
        <source>{name} = {value:g} is not allowed: use a value at least {lo:g} and at most {hi:g}.</source>
        <translation>{name} = {value:g} 不可用：请使用不小于 {lo:g} 且不大于 {hi:g} 的值。</translation>
    </message>
    <message>
        <source>{name} = {value!r} is not true or false.</source>
        <translation>{name} = {value!r} 不是 true 或 false。</translation>
    </message>
    <message>
        <source>{name} = {value!r} is not a whole number.</source>
        <translation>{name} = {value!r} 不是整数。</translation>
    </message>
    <message>
        <source>{name} = {value!r} is not a number.</source>
        <translation>{name} = {value!r} 不是数字。</translation>
    </message>
    <message>
        <source>{name} = {value!r} is not a list of numbers such as 64,64.</source>
        <translation>{name} = {value!r} 不是数字列表（例如 64,64）。</translation>
    </message>
    <message>
        <source>{name} = {value!r} is not a list of column names.</source>
        <translation>{name} = {value!r} 不是列名的列表。</translation>
    </message>
    <message>
        <source>{name} = {value:g} is not allowed: use a value above {lo:g} and below {hi:g}.</source>
        <translation>{name} = {value:g} 不可用：请使用大于 {lo:g} 且小于 {hi:g} 的值。</translation>
    </message>
    <message>
        <source>{name} = {value:g} is not allowed: use a value above {lo:g} and at most {hi:g}.</source>
        <translation>{name} = {value:g} 不可用：请使用大于 {lo:g} 且不大于 {hi:g} 的值。</translation>
    </message>
    <message>
        <source>{name} = {value:g} is not allowed: use a value at least {lo:g} and below {hi:g}.</source>
        <translation>{name} = {value:g} 不可用：请使用不小于 {lo:g} 且小于 {hi:g} 的值。</translation>
    </message>
    <message>
        <source>{name} = {value:g} is not allowed: use a value at least {lo:g} and at most {hi:g} (0 means no validation split).</source>
        <translation>{name} = {value:g} 不可用：请使用不小于 {lo:g} 且不大于 {hi:g} 的值（0 表示不划分验证集）。</translation>
    </message>
    <message>
        <source>{name} = {value!r} is not known; use one of {allowed}.</source>
        <translation>{name} = {value!r} 未知；请使用以下之一：{allowed}。</translation>
    </message>
    <message>
        <source>{name} is empty: name the CSV file to train on.</source>
        <translation>{name} 为空：请指定用于训练的 CSV 文件。</translation>
    </message>
    <message>
        <source>{name} is empty: name the folder of class sub-folders.</source>
        <translation>{name} 为空：请指定包含各类别子文件夹的文件夹。</translation>
    </message>
    <message>
        <source>{name} = {value} is not allowed: use 1 or more epochs.</source>
        <translation>{name} = {value} 不可用：请使用 1 个或更多轮次。</translation>
    </message>
    <message>
        <source>{name} must be 0 or more epochs.</source>
        <translation>{name} 必须为 0 个或更多轮次。</translation>
    </message>
    <message>
        <source>{name} needs {other} = momentum.</source>
        <translation>{name} 需要 {other} = momentum。</translation>
    </message>
    <message>
        <source>{name} = {value} is not allowed: use 1 to 100000.</source>
        <translation>{name} = {value} 不可用：请使用 1 到 100000。</translation>
    </message>
    <message>
        <source>{name} = {value} is not allowed: use 0 (off) or more epochs.</source>
        <translation>{name} = {value} 不可用：请使用 0（关闭）或更多轮次。</translation>
    </message>
    <message>
        <source>{name} needs a validation split: set {other} above 0.</source>
        <translation>{name} 需要验证集：请将 {other} 设为大于 0。</translation>
    </message>
    <message>
        <source>{name} = plateau needs a validation split above 0.</source>
        <translation>{name} = plateau 需要大于 0 的验证集比例。</translation>
    </message>
    <message>
        <source>{name} = {value!r} is not known; use auto, cpu, mps, cuda or cuda:N.</source>
        <translation>{name} = {value!r} 未知；请使用 auto、cpu、mps、cuda 或 cuda:N。</translation>
    </message>
    <message>
        <source>{name} = {value} is not allowed: use 0 or a positive number.</source>
        <translation>{name} = {value} 不可用：请使用 0 或正数。</translation>
    </message>
    <message>
        <source>{name} = {value} is not allowed: use 0 (automatic) or 1 to 1024.</source>
        <translation>{name} = {value} 不可用：请使用 0（自动）或 1 到 1024。</translation>
    </message>
    <message>
        <source>Unknown setting(s) {names}; known here: {known}.</source>
        <translation>未知设置 {names}；此处可用的设置：{known}。</translation>
    </message>
    <message>
        <source>{name} = {value} is not a number (0 means no validation split).</source>
        <translation>{name} = {value} 不是数字（0 表示不划分验证集）。</translation>
    </message>
    <message>
        <source>{name} = {value} is not allowed: use 1 to {n} (the training set has {n} samples).</source>
        <translation>{name} = {value} 不可用：请使用 1 到 {n}（训练集有 {n} 个样本）。</translation>
    </message>
    <message>
        <source>{name} = {value} is not allowed: use 1 to the training-set size.</source>
        <translation>{name} = {value} 不可用：请使用 1 到训练集大小之间的值。</translation>
    </message>
    <message>
        <source>{name} = {value} is larger than the training set ({n} samples): use 1 to {n}.</source>
        <translation>{name} = {value} 大于训练集（{n} 个样本）：请使用 1 到 {n}。</translation>
    </message>
    <message>
        <source>{name} = {value} is not a number.</source>
        <translation>{name} = {value} 不是数字。</translation>
    </message>
    <message>
        <source>{name} layer {layer} has {units} units: use 1 to 65536.</source>
        <translation>{name} 第 {layer} 层有 {units} 个单元：请使用 1 到 65536。</translation>
    </message>
    <message>
        <source>{name} has {rates} rates for {layers} hidden layers: give one rate per layer.</source>
        <translation>{name} 有 {rates} 个比率，但有 {layers} 个隐藏层：请为每层给出一个比率。</translation>
    </message>
    <message>
        <source>{name} is empty: a CNN needs at least one layer.</source>
        <translation>{name} 为空：CNN 至少需要一层。</translation>
    </message>
    <message>
        <source>{name} = {value} is not allowed: use an odd size 1 to 15.</source>
        <translation>{name} = {value} 不可用：请使用 1 到 15 之间的奇数。</translation>
    </message>
    <message>
        <source>Configuration file {path} does not exist.</source>
        <translation>配置文件 {path} 不存在。</translation>
    </message>
    <message>
        <source>Configuration file {path} is not UTF-8 text.</source>
        <translation>配置文件 {path} 不是 UTF-8 文本。</translation>
    </message>
    <message>
        <source>Cannot read configuration file {path}: {reason}.</source>
        <translation>无法读取配置文件 {path}：{reason}。</translation>
    </message>
    <message>
        <source>Configuration file {path} is not valid TOML: {reason}.</source>
        <translation>配置文件 {path} 不是有效的 TOML：{reason}。</translation>
    </message>
    <message>
        <source>{name} must be a table of settings, not {value!r}.</source>
        <translation>{name} 必须是设置表，而不是 {value!r}。</translation>
    </message>
    <message>
        <source>The configuration must be a table of settings, not {value!r}.</source>
        <translation>配置必须是设置表，而不是 {value!r}。</translation>
    </message>
    <message>
        <source>{name} layer {layer} has {filters} filters: use 1 to 4096.</source>
        <translation>{name} 第 {layer} 层有 {filters} 个滤波器：请使用 1 到 4096。</translation>
    </message>
    <message>
        <source>There is no data set called {name!r}. Choose one of: {names}.</source>
        <translation>没有名为 {name!r} 的数据集。请从以下选择：{names}。</translation>
    </message>
    <message>
        <source>{file} does not look like a CSV text file (an Excel workbook or another binary file?). Save it as CSV (UTF-8) and pick that file.</source>
        <translation>{file} 看起来不是 CSV 文本文件（是 Excel 工作簿或其他二进制文件？）。请另存为 CSV（UTF-8）并选择该文件。</translation>
    </message>
    <message>
        <source>{file}, line {line}: this row has {values} values but the header has {columns} columns. Give every row one value per column (look for a missing or extra comma).</source>
        <translation>{file} 第 {line} 行：此行有 {values} 个值，但表头有 {columns} 列。请让每行每列各有一个值（检查是否缺少或多了逗号）。</translation>
    </message>
    <message>
        <source>{first} {count} more file(s) cannot be read either: {listed}. Fix or remove them, or choose to skip the files that cannot be read.</source>
        <translation>{first} 另有 {count} 个文件也无法读取：{listed}。请修复或删除它们，或选择跳过无法读取的文件。</translation>
    </message>
    <message>
        <source>The {name} data set needs 2 to 100 classes, not {classes}.</source>
        <translation>{name} 数据集需要 2 到 100 个类别，而不是 {classes}。</translation>
    </message>
    <message>
        <source>The {name} data set needs at least {needed} samples for {classes} classes (two per class); {samples} were asked for.</source>
        <translation>{name} 数据集有 {classes} 个类别，至少需要 {needed} 个样本（每类两个）；当前只要求了 {samples} 个。</translation>
    </message>
    <message>
        <source>Noise must be 0 or more, not {noise}.</source>
        <translation>噪声必须为 0 或更大，而不是 {noise}。</translation>
    </message>
    <message>
        <source>{file} is empty. A CSV file needs a header row of column names and one row per sample.</source>
        <translation>{file} 是空的。CSV 文件需要一行列名作为表头，并且每个样本一行。</translation>
    </message>
    <message>
        <source>{file} holds no values. A CSV file needs a header row of column names and one row per sample.</source>
        <translation>{file} 中没有任何值。CSV 文件需要一行列名作为表头，并且每个样本一行。</translation>
    </message>
    <message>
        <source>{file} has a header row but no data rows. Add one row per sample below the header.</source>
        <translation>{file} 有表头但没有数据行。请在表头下方为每个样本添加一行。</translation>
    </message>
    <message>
        <source>{file} has only one column ({column!r}). A CSV for training needs input columns and a target column; if it uses ; or tabs between values, check that every row uses the same separator.</source>
        <translation>{file} 只有一列（{column!r}）。用于训练的 CSV 需要输入列和目标列；如果值之间用 ; 或制表符分隔，请检查每行是否使用相同的分隔符。</translation>
    </message>
    <message>
        <source>{file}: the target column {column!r} holds only one class ({label!r}). A classifier needs at least two classes; check the target column.</source>
        <translation>{file}：目标列 {column!r} 只有一个类别（{label!r}）。分类器至少需要两个类别；请检查目标列。</translation>
    </message>
    <message>
        <source>{file}: every row has its own value in the target column {column!r}, so it looks like a name or ID column, not a label. Choose another target column.</source>
        <translation>{file}：目标列 {column!r} 中每行的值都不同，看起来是名称或 ID 列，而不是标签。请选择其他目标列。</translation>
    </message>
    <message>
        <source>The image folder {folder} does not exist. Pick the folder again.</source>
        <translation>图像文件夹 {folder} 不存在。请重新选择文件夹。</translation>
    </message>
    <message>
        <source>{folder} is a file, not a folder. Pick a folder that holds one sub-folder of images per class.</source>
        <translation>{folder} 是文件而不是文件夹。请选择一个文件夹，其中每个类别有一个图像子文件夹。</translation>
    </message>
    <message>
        <source>The image folder {folder} needs one sub-folder per class, at least two (found only {found!r}). Put each class's images in a folder named after the class.</source>
        <translation>图像文件夹 {folder} 需要每个类别一个子文件夹，至少两个（只找到 {found!r}）。请把每个类别的图像放进以该类别命名的文件夹。</translation>
    </message>
    <message>
        <source>The image folder {folder} needs one sub-folder per class, at least two (found none). Put each class's images in a folder named after the class.</source>
        <translation>图像文件夹 {folder} 需要每个类别一个子文件夹，至少两个（一个也没有找到）。请把每个类别的图像放进以该类别命名的文件夹。</translation>
    </message>
    <message>
        <source>The image size must be at least 1 pixel, not {size}.</source>
        <translation>图像尺寸至少为 1 像素，而不是 {size}。</translation>
    </message>
    <message>
        <source>In {folder}, no image of class {names} can be read, so there is nothing to train that class on. Replace those files with PNG or JPEG images, or remove the folder.</source>
        <translation>在 {folder} 中，类别 {names} 的图像都无法读取，因此没有可用于训练该类别的数据。请用 PNG 或 JPEG 图像替换这些文件，或删除该文件夹。</translation>
    </message>
    <message>
        <source>{first} {count} more file(s) cannot be read either: {listed} and {more} more. Fix or remove them, or choose to skip the files that cannot be read.</source>
        <translation>{first} 另有 {count} 个文件也无法读取：{listed} 以及其他 {more} 个。请修复或删除它们，或选择跳过无法读取的文件。</translation>
    </message>
    <message>
        <source>The validation split must be from 0 up to (not including) 1, not {value}.</source>
        <translation>验证集比例必须在 0 到 1 之间（不含 1），而不是 {value}。</translation>
    </message>
    <message>
        <source>There are no training samples to compute normalisation statistics from: lower the validation split or add data.</source>
        <translation>没有可用于计算归一化统计量的训练样本：请降低验证集比例或添加数据。</translation>
    </message>
    <message>
        <source>The data set {name!r} has an unknown task {task!r}.</source>
        <translation>数据集 {name!r} 的任务类型 {task!r} 未知。</translation>
    </message>
    <message>
        <source>The data set {name!r} has inputs of shape {shape} and {targets} targets: they must be (N, features) or (N, C, H, W) with one target per sample.</source>
        <translation>数据集 {name!r} 的输入形状为 {shape}，目标有 {targets} 个：它们必须是 (N, features) 或 (N, C, H, W)，且每个样本一个目标。</translation>
    </message>
    <message>
        <source>The data set {name!r} holds no samples.</source>
        <translation>数据集 {name!r} 中没有样本。</translation>
    </message>
    <message>
        <source>The data set {name!r} holds missing or infinite input values.</source>
        <translation>数据集 {name!r} 中有缺失或无穷大的输入值。</translation>
    </message>
    <message>
        <source>No CSV file is chosen: pick the CSV file to train on.</source>
        <translation>尚未选择 CSV 文件：请选择用于训练的 CSV 文件。</translation>
    </message>
    <message>
        <source>No image folder is chosen: pick a folder with one sub-folder per class.</source>
        <translation>尚未选择图像文件夹：请选择一个每个类别各有一个子文件夹的文件夹。</translation>
    </message>
    <message>
        <source>The file {path} does not exist. Check the name, or pick the file again.</source>
        <translation>文件 {path} 不存在。请检查文件名，或重新选择文件。</translation>
    </message>
    <message>
        <source>{path} is a folder, not a CSV file. Pick a .csv file.</source>
        <translation>{path} 是文件夹，不是 CSV 文件。请选择 .csv 文件。</translation>
    </message>
    <message>
        <source>Workbench may not read {path}. Check the file's permissions.</source>
        <translation>Workbench 无权读取 {path}。请检查文件权限。</translation>
    </message>
    <message>
        <source>The file {path} cannot be read ({reason}).</source>
        <translation>无法读取文件 {path}（{reason}）。</translation>
    </message>
    <message>
        <source>{file}: the first line holds numbers, not column names. Add a header row that names each column as the first line.</source>
        <translation>{file}：第一行是数字而不是列名。请在第一行添加为每列命名的表头。</translation>
    </message>
    <message>
        <source>{file} has no column named {target!r}. The columns are: {columns}. Choose one of them as the target.</source>
        <translation>{file} 中没有名为 {target!r} 的列。现有的列：{columns}。请选择其中一列作为目标。</translation>
    </message>
    <message>
        <source>The folder {folder} cannot be read ({reason}).</source>
        <translation>无法读取文件夹 {folder}（{reason}）。</translation>
    </message>
    <message>
        <source>The class folder {folder} holds no images. Add images to it, or remove the folder.</source>
        <translation>类别文件夹 {folder} 中没有图像。请向其中添加图像，或删除该文件夹。</translation>
    </message>
    <message>
        <source>The image {file} is too large to be read safely (more than {limit:,} pixels). Shrink it, or remove it from the folder.</source>
        <translation>图像 {file} 太大，无法安全读取（超过 {limit:,} 像素）。请缩小它，或将其从文件夹中移除。</translation>
    </message>
    <message>
        <source>{file} is not an image Workbench can read. Remove it from the class folder, or save it as PNG or JPEG.</source>
        <translation>{file} 不是 Workbench 能读取的图像。请将它从类别文件夹中移除，或另存为 PNG 或 JPEG。</translation>
    </message>
    <message>
        <source>Workbench may not read the image {file}. Check the file's permissions, or remove it from the folder.</source>
        <translation>Workbench 无权读取图像 {file}。请检查文件权限，或将其从文件夹中移除。</translation>
    </message>
    <message>
        <source>The image {file} is damaged or incomplete ({reason}). Remove or replace it.</source>
        <translation>图像 {file} 已损坏或不完整（{reason}）。请移除或替换它。</translation>
    </message>
    <message>
        <source>The data set {name!r} has fewer than two classes; a classifier needs at least two.</source>
        <translation>数据集 {name!r} 的类别少于两个；分类器至少需要两个类别。</translation>
    </message>
    <message>
        <source>The data set {name!r} has class numbers outside 0 to {last}.</source>
        <translation>数据集 {name!r} 中有超出 0 到 {last} 范围的类别编号。</translation>
    </message>
    <message>
        <source>{file}: the target column {column!r} holds values too large to train with. Rescale that column.</source>
        <translation>{file}：目标列 {column!r} 中的值太大，无法用于训练。请缩放该列。</translation>
    </message>
    <message>
        <source>{file}, line {line}: a quote (") in this row is never closed, so the lines after it were read as one value. Close or remove the quote.</source>
        <translation>{file} 第 {line} 行：此行中的引号（"）没有闭合，因此其后的各行被读成了一个值。请闭合或删除该引号。</translation>
    </message>
    <message>
        <source>{file}: the target column {column!r} holds text such as {value!r}, so it cannot be predicted as a number. Choose classification, or another target.</source>
        <translation>{file}：目标列 {column!r} 含有 {value!r} 这样的文本，无法作为数值来预测。请选择分类任务，或选择其他目标列。</translation>
    </message>
    <message>
        <source>This model was not trained on a table; predicting from a table file needs one that was.</source>
        <translation>此模型不是用表格训练的；从表格文件预测需要用表格训练的模型。</translation>
    </message>
    <message>
        <source>{file}: the target column {column!r} holds {labels}, which the model does not know. Its classes are: {classes}.</source>
        <translation>{file}：目标列 {column!r} 含有模型不认识的值 {labels}。模型的类别有：{classes}。</translation>
    </message>
    <message>
        <source>{file}: the target column {column!r} holds text, but this model predicts a number. Choose the column the model was trained to predict.</source>
        <translation>{file}：目标列 {column!r} 含有文本，但此模型预测的是数值。请选择模型训练时预测的那一列。</translation>
    </message>
    <message>
        <source>{file} has only {rows} data row with a target value; training needs at least {needed} (one to train on, one to validate with).</source>
        <translation>{file} 只有 {rows} 行数据有目标值；训练至少需要 {needed} 行（一行用于训练，一行用于验证）。</translation>
    </message>
    <message>
        <source>{file} is too large to read into memory. Use a sample of the rows.</source>
        <translation>{file} 太大，无法读入内存。请只取其中一部分行。</translation>
    </message>
    <message>
        <source>{file} is an Excel workbook or another binary file, not a CSV file. Save it as .xlsx (Excel 2007 or newer) or as CSV, and pick that file.</source>
        <translation>{file} 是 Excel 工作簿或其他二进制文件，不是 CSV 文件。请另存为 .xlsx（Excel 2007 或更新版本）或 CSV，并选择该文件。</translation>
    </message>
    <message>
        <source>{file} is {size} MB; Workbench reads tables of up to {limit} MB. Use a sample of the rows.</source>
        <translation>{file} 大小为 {size} MB；Workbench 最多读取 {limit} MB 的表格。请只取其中一部分行。</translation>
    </message>
    <message>
        <source>{file} mixes text encodings (a byte at position {position} is not {encoding}). Save the file again as CSV (UTF-8) and pick that file.</source>
        <translation>{file} 混用了多种文本编码（位置 {position} 处的字节不是 {encoding} 编码）。请将文件重新另存为 CSV（UTF-8）并选择该文件。</translation>
    </message>
    <message>
        <source>{file}: the first line is longer than {limit} MB, so this is not a table with one row per line. Check that the file is a CSV file.</source>
        <translation>{file}：第一行超过 {limit} MB，因此它不是每行一条数据的表格。请检查该文件是否为 CSV 文件。</translation>
    </message>
    <message>
        <source>{file} has {count} columns; Workbench reads tables of up to {limit} columns.</source>
        <translation>{file} 有 {count} 列；Workbench 最多读取 {limit} 列的表格。</translation>
    </message>
    <message>
        <source>{file} unpacks to more than {limit} MB; Workbench reads tables of up to {limit} MB. Use a sample of the rows.</source>
        <translation>{file} 解压后超过 {limit} MB；Workbench 最多读取 {limit} MB 的表格。请只取其中一部分行。</translation>
    </message>
    <message>
        <source>{path} is not a regular file (a pipe or a device?). Save the table as a file and pick that.</source>
        <translation>{path} 不是普通文件（是管道或设备？）。请将表格保存为文件，再选择该文件。</translation>
    </message>
    <message>
        <source>The date format {format!r} is not one Workbench knows.</source>
        <translation>Workbench 不认识日期格式 {format!r}。</translation>
    </message>
    <message>
        <source>{file} is damaged or not compressed as its name says ({reason}).</source>
        <translation>{file} 已损坏，或压缩格式与文件名不符（{reason}）。</translation>
    </message>
    <message>
        <source>{file} is not an Excel workbook, so it has no sheet {sheet!r}. Leave out the sheet, or pick the .xlsx file.</source>
        <translation>{file} 不是 Excel 工作簿，因此没有工作表 {sheet!r}。请不要指定工作表，或选择 .xlsx 文件。</translation>
    </message>
    <message>
        <source>{file} holds {count} files; a zipped table must hold exactly one. Unpack it and pick the table.</source>
        <translation>{file} 中有 {count} 个文件；压缩的表格只能包含一个文件。请解压后选择其中的表格。</translation>
    </message>
    <message>
        <source>{file}: the text encoding cannot be recognised. Save the file as CSV (UTF-8) and pick that file.</source>
        <translation>{file}：无法识别文本编码。请将文件另存为 CSV（UTF-8）并选择该文件。</translation>
    </message>
    <message>
        <source>{file}, line {line}: this row has {values} values but the header has {columns} columns. Give every row one value per column (look for a missing or extra {separator}).</source>
        <translation>{file} 第 {line} 行：此行有 {values} 个值，但表头有 {columns} 列。请让每行每列各有一个值（检查是否缺少或多了{separator}）。</translation>
    </message>
    <message>
        <source>{file} has no sheet named {sheet!r}. Its sheets are: {sheets}.</source>
        <translation>{file} 中没有名为 {sheet!r} 的工作表。现有的工作表：{sheets}。</translation>
    </message>
    <message>
        <source>{file} has no column named {names}. The columns are: {columns}.</source>
        <translation>{file} 中没有名为 {names} 的列。现有的列：{columns}。</translation>
    </message>
    <message>
        <source>{file}: the CSV text is malformed ({reason}). Check the quotes and separators.</source>
        <translation>{file}：CSV 文本格式错误（{reason}）。请检查引号和分隔符。</translation>
    </message>
    <message>
        <source>{file} cannot be read as an Excel workbook ({reason}). Open it in a spreadsheet and save it again as .xlsx.</source>
        <translation>{file} 无法作为 Excel 工作簿读取（{reason}）。请用电子表格软件打开它，并重新另存为 .xlsx。</translation>
    </message>
    <message>
        <source>{file}: column {column!r} does not hold dates Workbench can read (such as 2024-03-31 or 31/03/2024). Choose another role for it.</source>
        <translation>{file}：列 {column!r} 中不是 Workbench 能读取的日期（例如 2024-03-31 或 31/03/2024）。请为它选择其他角色。</translation>
    </message>
    <message>
        <source>{file}: no column is left to learn from (every column is the target, left out, or has a single value). Choose the roles of the columns again.</source>
        <translation>{file}：没有可供学习的列（每一列要么是目标列，要么不使用，要么只有一个值）。请重新选择各列的角色。</translation>
    </message>
    <message>
        <source>{file} has no column {columns}, which the model was trained on. Add the column (empty cells are fine), or use a file with the training columns.</source>
        <translation>{file} 缺少模型训练时用过的列 {columns}。请添加该列（可以留空），或使用包含训练时各列的文件。</translation>
    </message>
    <message>
        <source>{file}: column {column!r} holds dates, not numbers. Choose the role 'date' for it.</source>
        <translation>{file}：列 {column!r} 中是日期，不是数字。请把它的角色设为“日期”。</translation>
    </message>
    <message>
        <source>{file}, row {row}, column {column!r}: {value!r} is not a number. Fix the value, or make the column categorical.</source>
        <translation>{file} 第 {row} 行，列 {column!r}：{value!r} 不是数字。请修正该值，或把该列设为类别。</translation>
    </message>
    <message>
        <source>{file}, row {row}, column {column!r}: the value is missing. This model was trained without missing values: fill it in, or skip such rows.</source>
        <translation>{file} 第 {row} 行，列 {column!r}：缺少值。此模型训练时没有缺失值：请填入该值，或跳过这样的行。</translation>
    </message>
    <message>
        <source>CPU ({cores} cores)</source>
        <translation>CPU（{cores} 核）</translation>
    </message>
    <message>
        <source>Device {device!r} is not available on this computer; available: {have}.</source>
        <translation>设备 {device!r} 在这台计算机上不可用；可用的设备：{have}。</translation>
    </message>
    <message>
        <source>Apple GPU (MPS)</source>
        <translation>Apple GPU（MPS）</translation>
    </message>
    <message>
        <source>{gpu} ({gib:.0f} GB)</source>
        <translation>{gpu}（{gib:.0f} GB）</translation>
    </message>
    <message>
        <source>{file} could not be saved in {folder} ({reason}). A file saved there before is unchanged.</source>
        <translation>无法将 {file} 保存到 {folder}（{reason}）。之前保存在那里的文件保持不变。</translation>
    </message>
    <message>
        <source>{file} is not a valid Workbench model file: {why}. The file may be damaged or may not come from Workbench; open a .wbm file saved by Workbench.</source>
        <translation>{file} 不是有效的 Workbench 模型文件：{why}。该文件可能已损坏或并非来自 Workbench；请打开由 Workbench 保存的 .wbm 文件。</translation>
    </message>
    <message>
        <source>{file} is not a Workbench model: it looks like a PyTorch/pickle file. Pickle files can run code when opened, so Workbench never opens them. Open a .wbm file saved by Workbench instead.</source>
        <translation>{file} 不是 Workbench 模型：它看起来是 PyTorch/pickle 文件。pickle 文件在打开时可以运行代码，因此 Workbench 从不打开它们。请改为打开由 Workbench 保存的 .wbm 文件。</translation>
    </message>
    <message>
        <source>{file} was made by a newer Workbench (a newer release, file format {version}); this is Workbench {release} (format {supported}). Please upgrade Workbench to open it.</source>
        <translation>{file} 由较新版本的 Workbench 创建（更新的版本，文件格式 {version}）；当前是 Workbench {release}（格式 {supported}）。请升级 Workbench 后再打开。</translation>
    </message>
    <message>
        <source>The disk is full: {file} could not be saved in {folder}. Free some space or save to another drive. A file saved there before is unchanged.</source>
        <translation>磁盘已满：无法将 {file} 保存到 {folder}。请释放一些空间或保存到其他驱动器。之前保存在那里的文件保持不变。</translation>
    </message>
    <message>
        <source>Workbench may not write {file} in {folder}. Choose another folder, or check its permissions. A file saved there before is unchanged.</source>
        <translation>Workbench 无权在 {folder} 中写入 {file}。请选择其他文件夹，或检查其权限。之前保存在那里的文件保持不变。</translation>
    </message>
    <message>
        <source>The folder {folder} does not exist. Choose another folder to save {file} in.</source>
        <translation>文件夹 {folder} 不存在。请选择其他文件夹来保存 {file}。</translation>
    </message>
    <message>
        <source>{path} is a folder. Choose a file name to save the model as.</source>
        <translation>{path} 是文件夹。请输入用于保存模型的文件名。</translation>
    </message>
    <message>
        <source>the header length is larger than the file</source>
        <translation>文件头的长度大于文件本身</translation>
    </message>
    <message>
        <source>the header is not a JSON object</source>
        <translation>文件头不是 JSON 对象</translation>
    </message>
    <message>
        <source>the metadata is not a table of text</source>
        <translation>元数据不是文本表</translation>
    </message>
    <message>
        <source>there are extra bytes after the tensors</source>
        <translation>张量之后还有多余的字节</translation>
    </message>
    <message>
        <source>the metadata {key!r} has the wrong type</source>
        <translation>元数据 {key!r} 的类型不对</translation>
    </message>
    <message>
        <source>{file} is a safetensors file but not a Workbench model (it has no Workbench metadata). Open a .wbm file saved by Workbench.</source>
        <translation>{file} 是 safetensors 文件，但不是 Workbench 模型（没有 Workbench 元数据）。请打开由 Workbench 保存的 .wbm 文件。</translation>
    </message>
    <message>
        <source>its format version is missing or unreadable</source>
        <translation>它的格式版本缺失或无法读取</translation>
    </message>
    <message>
        <source>{file} is a Workbench checkpoint, not a model.</source>
        <translation>{file} 是 Workbench 检查点，不是模型。</translation>
    </message>
    <message>
        <source>{file} is a Workbench model, not a checkpoint.</source>
        <translation>{file} 是 Workbench 模型，不是检查点。</translation>
    </message>
    <message>
        <source>{file} was made by a newer Workbench ({made_by}, file format {version}); this is Workbench {release} (format {supported}). Please upgrade Workbench to open it.</source>
        <translation>{file} 由较新版本的 Workbench 创建（{made_by}，文件格式 {version}）；当前是 Workbench {release}（格式 {supported}）。请升级 Workbench 后再打开。</translation>
    </message>
    <message>
        <source>its settings describe {layers} layers but it holds only {tensors} weight tensors</source>
        <translation>它的设置描述了 {layers} 层，但只包含 {tensors} 个权重张量</translation>
    </message>
    <message>
        <source>The weights in {file} do not fit the architecture its settings describe: {problems}. The file is damaged or was edited; open another model.</source>
        <translation>{file} 中的权重与其设置描述的架构不符：{problems}。该文件已损坏或被修改过；请打开其他模型。</translation>
    </message>
    <message>
        <source>one prediction would need {gib:.1f} GB of memory</source>
        <translation>一次预测就需要 {gib:.1f} GB 内存</translation>
    </message>
    <message>
        <source>its output does not match its classes</source>
        <translation>它的输出与其类别不符</translation>
    </message>
    <message>
        <source>its normalisation statistics are missing</source>
        <translation>它的归一化统计量缺失</translation>
    </message>
    <message>
        <source>its normalisation statistics are not numbers</source>
        <translation>它的归一化统计量不是数字</translation>
    </message>
    <message>
        <source>its normalisation statistics do not match its input shape</source>
        <translation>它的归一化统计量与其输入形状不符</translation>
    </message>
    <message>
        <source>its normalisation statistics are not finite positive numbers</source>
        <translation>它的归一化统计量不是有限的正数</translation>
    </message>
    <message>
        <source>its task is unknown</source>
        <translation>它的任务类型未知</translation>
    </message>
    <message>
        <source>its class or feature names are not text</source>
        <translation>它的类别名或特征名不是文本</translation>
    </message>
    <message>
        <source>its input shape is not valid</source>
        <translation>它的输入形状无效</translation>
    </message>
    <message>
        <source>its input is larger than any Workbench model takes</source>
        <translation>它的输入比任何 Workbench 模型所接受的都大</translation>
    </message>
    <message>
        <source>a classifier needs at least two class names</source>
        <translation>分类器至少需要两个类别名</translation>
    </message>
    <message>
        <source>The weights in {source} do not fit this architecture: {problems}.</source>
        <translation>{source} 中的权重与此架构不符：{problems}。</translation>
    </message>
    <message>
        <source>its training state is incomplete ({what})</source>
        <translation>它的训练状态不完整（{what}）</translation>
    </message>
    <message>
        <source>its table preprocessing is not valid ({reason})</source>
        <translation>它的表格预处理无效（{reason}）</translation>
    </message>
    <message>
        <source>its table preprocessing does not match its inputs</source>
        <translation>它的表格预处理与其输入不符</translation>
    </message>
    <message>
        <source>a classifier has a target scaling</source>
        <translation>分类器带有目标值缩放</translation>
    </message>
    <message>
        <source>its target scaling is not two finite numbers</source>
        <translation>它的目标值缩放不是两个有限的数</translation>
    </message>
    <message>
        <source>The model expects inputs of shape {want}, not {got}.</source>
        <translation>模型需要形状为 {want} 的输入，而不是 {got}。</translation>
    </message>
    <message>
        <source>{path} is not a regular file. Open a .wbm file saved by Workbench.</source>
        <translation>{path} 不是普通文件。请打开由 Workbench 保存的 .wbm 文件。</translation>
    </message>
    <message>
        <source>it is {gib:.1f} GB, larger than any model Workbench makes</source>
        <translation>它有 {gib:.1f} GB，比 Workbench 生成的任何模型都大</translation>
    </message>
    <message>
        <source>it is larger than any model Workbench makes</source>
        <translation>它比 Workbench 生成的任何模型都大</translation>
    </message>
    <message>
        <source>Model file {path} does not exist.</source>
        <translation>模型文件 {path} 不存在。</translation>
    </message>
    <message>
        <source>{path} is a folder, not a model file.</source>
        <translation>{path} 是文件夹，不是模型文件。</translation>
    </message>
    <message>
        <source>Cannot read {path}: {reason}.</source>
        <translation>无法读取 {path}：{reason}。</translation>
    </message>
    <message>
        <source>{file} is a ZIP archive, not a Workbench model. Open a .wbm file saved by Workbench.</source>
        <translation>{file} 是 ZIP 压缩包，不是 Workbench 模型。请打开由 Workbench 保存的 .wbm 文件。</translation>
    </message>
    <message>
        <source>the file is too short</source>
        <translation>文件太短</translation>
    </message>
    <message>
        <source>the header is not UTF-8 text</source>
        <translation>文件头不是 UTF-8 文本</translation>
    </message>
    <message>
        <source>the header is not JSON</source>
        <translation>文件头不是 JSON</translation>
    </message>
    <message>
        <source>tensor {name} is described wrongly</source>
        <translation>张量 {name} 的描述有误</translation>
    </message>
    <message>
        <source>tensor {name} has unknown type {kind}</source>
        <translation>张量 {name} 的类型 {kind} 未知</translation>
    </message>
    <message>
        <source>tensor {name} has a bad shape</source>
        <translation>张量 {name} 的形状有误</translation>
    </message>
    <message>
        <source>tensor {name} has bad offsets</source>
        <translation>张量 {name} 的偏移量有误</translation>
    </message>
    <message>
        <source>tensor {name} points outside the file</source>
        <translation>张量 {name} 指向文件之外</translation>
    </message>
    <message>
        <source>tensor {name} has a size that does not match its shape</source>
        <translation>张量 {name} 的大小与其形状不符</translation>
    </message>
    <message>
        <source>tensor {name} overlaps another or leaves a gap</source>
        <translation>张量 {name} 与其他张量重叠或留有空隙</translation>
    </message>
    <message>
        <source>its tensors cannot be read ({reason})</source>
        <translation>无法读取它的张量（{reason}）</translation>
    </message>
    <message>
        <source>the metadata has no {key!r}</source>
        <translation>元数据中没有 {key!r}</translation>
    </message>
    <message>
        <source>the metadata {key!r} is not JSON</source>
        <translation>元数据 {key!r} 不是 JSON</translation>
    </message>
    <message>
        <source>its configuration is not valid ({reason})</source>
        <translation>它的配置无效（{reason}）</translation>
    </message>
    <message>
        <source>its configuration cannot be read</source>
        <translation>无法读取它的配置</translation>
    </message>
    <message>
        <source>its architecture cannot be built ({reason})</source>
        <translation>无法构建它的架构（{reason}）</translation>
    </message>
    <message>
        <source>its layers do not fit its input shape</source>
        <translation>它的各层与其输入形状不符</translation>
    </message>
    <message>
        <source>tensor {name} declares more data than the file holds</source>
        <translation>张量 {name} 声明的数据多于文件中实际包含的数据</translation>
    </message>
    <message>
        <source>{file} has {found} input columns but the model needs {needed}. Give the columns {columns}.</source>
        <translation>{file} 有 {found} 个输入列，但模型需要 {needed} 个。请提供这些列：{columns}。</translation>
    </message>
    <message>
        <source>This model takes images; predicting from a CSV file needs a model trained on a table of numbers.</source>
        <translation>此模型以图像为输入；从 CSV 文件预测需要用数字表格训练的模型。</translation>
    </message>
    <message>
        <source>{file} has {found} input columns but the model needs {needed}. Give the columns in training order.</source>
        <translation>{file} 有 {found} 个输入列，但模型需要 {needed} 个。请按训练时的顺序提供各列。</translation>
    </message>
    <message>
        <source>{file} has {found} input columns but the model needs {needed} (missing columns: {missing}). Give the columns {columns}.</source>
        <translation>{file} 有 {found} 个输入列，但模型需要 {needed} 个（缺少的列：{missing}）。请提供这些列：{columns}。</translation>
    </message>
    <message>
        <source>Unknown export format {fmt!r}: use {formats}.</source>
        <translation>未知的导出格式 {fmt!r}：请使用 {formats}。</translation>
    </message>
    <message>
        <source>Cannot export {kind}: give a trained model or the path of a .wbm file.</source>
        <translation>无法导出 {kind}：请提供训练好的模型或 .wbm 文件的路径。</translation>
    </message>
    <message>
        <source>No file name to export to: choose where to save the export.</source>
        <translation>没有要导出到的文件名：请选择导出文件的保存位置。</translation>
    </message>
    <message>
        <source>A training script is a Python file: name it with .py, not {name!r} (its settings go next to it as .toml).</source>
        <translation>训练脚本是 Python 文件：请以 .py 结尾命名，而不是 {name!r}（其设置以 .toml 文件保存在旁边）。</translation>
    </message>
    <message>
        <source>The folder {folder} does not exist. Create it or choose another place for the export.</source>
        <translation>文件夹 {folder} 不存在。请先创建它，或为导出选择其他位置。</translation>
    </message>
    <message>
        <source>{folder} is a file, not a folder. Choose a folder for the export.</source>
        <translation>{folder} 是文件，不是文件夹。请为导出选择一个文件夹。</translation>
    </message>
    <message>
        <source>Workbench may not write in {folder}. Choose another folder, or check its permissions.</source>
        <translation>Workbench 无权在 {folder} 中写入。请选择其他文件夹，或检查该文件夹的权限。</translation>
    </message>
    <message>
        <source>{file} could not be written in {folder} (the disk is full). Choose another place for the export.</source>
        <translation>无法在 {folder} 中写入 {file}（磁盘已满）。请为导出选择其他位置。</translation>
    </message>
    <message>
        <source>{file} could not be written in {folder} (Workbench may not write there). Choose another place for the export.</source>
        <translation>无法在 {folder} 中写入 {file}（Workbench 无权在此写入）。请为导出选择其他位置。</translation>
    </message>
    <message>
        <source>{file} could not be written in {folder} (a folder has that name). Choose another place for the export.</source>
        <translation>无法在 {folder} 中写入 {file}（已有同名的文件夹）。请为导出选择其他位置。</translation>
    </message>
    <message>
        <source>{file} could not be written in {folder} ({reason}). Choose another place for the export.</source>
        <translation>无法在 {folder} 中写入 {file}（{reason}）。请为导出选择其他位置。</translation>
    </message>
    <message>
        <source>The rows to check the export with have shape {got}; the model takes {want}.</source>
        <translation>用于检查导出的数据行形状为 {got}，而模型接受的形状为 {want}。</translation>
    </message>
    <message>
        <source>The rows to check the export with have no column {columns}, which the model was trained on. Give rows with every training column (empty cells are fine).</source>
        <translation>用于检查导出的数据行缺少模型训练时用过的列 {columns}。请提供包含所有训练列的数据行（可以有空单元格）。</translation>
    </message>
    <message>
        <source>This model was not trained on a table, so it cannot be checked with table rows. Give rows of its inputs as an array, or no rows.</source>
        <translation>此模型不是用表格训练的，因此不能用表格行来检查。请以数组形式提供它的输入行，或不提供数据行。</translation>
    </message>
    <message>
        <source>The {what} gives {got} outputs instead of {want}; the export is wrong and was not saved.</source>
        <translation>{what}给出了 {got} 个输出，而不是 {want} 个；导出有误，未保存。</translation>
    </message>
    <message>
        <source>The {what} gives outputs of shape {got} instead of {want}; the export is wrong and was not saved.</source>
        <translation>{what}给出的输出形状为 {got}，而不是 {want}；导出有误，未保存。</translation>
    </message>
    <message>
        <source>The {what} gives non-finite numbers where PyTorch does not; the export is wrong and was not saved.</source>
        <translation>{what}在 PyTorch 给出有限数值的位置给出了非有限数值；导出有误，未保存。</translation>
    </message>
    <message>
        <source>The {what} does not match PyTorch: outputs differ by up to {diff:.3g} (allowed {allowed:g}). The export was not saved.</source>
        <translation>{what}与 PyTorch 的结果不一致：输出最多相差 {diff:.3g}（允许 {allowed:g}）。导出未保存。</translation>
    </message>
    <message>
        <source>ONNX model</source>
        <translation>ONNX 模型</translation>
    </message>
    <message>
        <source>ONNX model with a batch of one row</source>
        <translation>批次只有一行时的 ONNX 模型</translation>
    </message>
    <message>
        <source>exported program</source>
        <translation>导出的程序</translation>
    </message>
    <message>
        <source>exported program with one row</source>
        <translation>只输入一行时导出的程序</translation>
    </message>
    <message>
        <source>ONNX export needs the onnx and onnxscript packages ({reason}). Reinstall Workbench (pip install -e .).</source>
        <translation>导出 ONNX 需要 onnx 和 onnxscript 包（{reason}）。请重新安装 Workbench（pip install -e .）。</translation>
    </message>
    <message>
        <source>The model could not be exported to ONNX: {reason}</source>
        <translation>无法将模型导出为 ONNX：{reason}</translation>
    </message>
    <message>
        <source>The ONNX model failed onnx.checker ({reason}); it was not saved.</source>
        <translation>ONNX 模型未通过 onnx.checker 检查（{reason}）；未保存该模型。</translation>
    </message>
    <message>
        <source>ONNX Runtime cannot run the exported model ({reason}); it was not saved.</source>
        <translation>ONNX Runtime 无法运行导出的模型（{reason}）；未保存该模型。</translation>
    </message>
    <message>
        <source>The model could not be exported with torch.export: {reason}</source>
        <translation>无法用 torch.export 导出模型：{reason}</translation>
    </message>
    <message>
        <source>The exported program cannot be loaded back and run ({reason}); it was not saved.</source>
        <translation>导出的程序无法重新加载并运行（{reason}）；未保存该程序。</translation>
    </message>
    <message>
        <source>The settings stored with the exported program do not come back unchanged; it was not saved.</source>
        <translation>与导出的程序一同保存的设置读回后发生了变化；未保存该程序。</translation>
    </message>
    <message>
        <source>The training script does not compile ({reason}); it was not saved.</source>
        <translation>训练脚本无法编译（{reason}）；未保存该脚本。</translation>
    </message>
    <message>
        <source>The training script builds a different network from Workbench's; it was not saved.</source>
        <translation>训练脚本构建的网络与 Workbench 的不同；未保存该脚本。</translation>
    </message>
    <message>
        <source>The trained weights do not fit the script's network ({reason}); it was not saved.</source>
        <translation>训练好的权重与脚本的网络不匹配（{reason}）；未保存该脚本。</translation>
    </message>
    <message>
        <source>The training script cannot prepare the data ({reason}); it was not saved.</source>
        <translation>训练脚本无法准备数据（{reason}）；未保存该脚本。</translation>
    </message>
    <message>
        <source>The training script prepares the data differently from Workbench ({array} differs); it was not saved.</source>
        <translation>训练脚本准备数据的方式与 Workbench 不同（{array} 不一致）；未保存该脚本。</translation>
    </message>
    <message>
        <source>The training script finds other class or feature names than Workbench; it was not saved.</source>
        <translation>训练脚本得到的类别名或特征名与 Workbench 的不同；未保存该脚本。</translation>
    </message>
    <message>
        <source>A CNN needs image data (digits or an image folder); choose the MLP for tabular or 2-D data.</source>
        <translation>CNN 需要图像数据（手写数字或图像文件夹）；表格数据或二维数据请选择 MLP。</translation>
    </message>
    <message>
        <source>The run history {path} cannot be opened: {reason}.</source>
        <translation>训练历史 {path} 无法打开：{reason}。</translation>
    </message>
    <message>
        <source>The run history {path} was written by a newer Workbench (schema {version}; this one knows {known}); update Workbench to record runs there.</source>
        <translation>训练历史 {path} 由更新版本的 Workbench 写入（数据库结构版本 {version}；本版本只认识 {known}）；请更新 Workbench，才能在其中记录训练。</translation>
    </message>
    <message>
        <source>The run history {path} is locked by another program; close it and restart Workbench to record runs again.</source>
        <translation>训练历史 {path} 被另一个程序锁定；请关闭该程序并重新启动 Workbench，才能再次记录训练。</translation>
    </message>
    <message>
        <source>The run history {path} is damaged ({reason}); runs are not recorded. Start a new history (the damaged file is kept beside it) to record runs again.</source>
        <translation>训练历史 {path} 已损坏（{reason}）；训练不会被记录。新建历史记录（损坏的文件会保留在旁边）即可再次记录训练。</translation>
    </message>
    <message>
        <source>The run history {path} cannot be used: {reason}.</source>
        <translation>训练历史 {path} 无法使用：{reason}。</translation>
    </message>
    <message>
        <source>Run {id} is not in the history any more.</source>
        <translation>训练 #{id} 已不在历史中。</translation>
    </message>
    <message>
        <source>The settings of run {id} cannot be read: {reason}</source>
        <translation>无法读取训练 #{id} 的设置：{reason}</translation>
    </message>
    <message>
        <source>The training split is empty: lower the validation split.</source>
        <translation>训练集划分为空：请调低验证集比例。</translation>
    </message>
    <message>
        <source>Cannot continue training: the model takes inputs of shape {model_shape} but the data has {data_shape}. Start a fresh run instead.</source>
        <translation>无法继续训练：模型接受形状为 {model_shape} 的输入，而数据的形状为 {data_shape}。请改为重新开始训练。</translation>
    </message>
    <message>
        <source>Cannot continue training: the model was trained for other classes or another task. Start a fresh run instead.</source>
        <translation>无法继续训练：该模型是为其他类别或其他任务训练的。请改为重新开始训练。</translation>
    </message>
    <message>
        <source>Cannot continue training: the table's columns give other inputs than the model was trained on (other columns, categories or roles). Start a fresh run instead.</source>
        <translation>无法继续训练：表格各列得到的输入与模型训练时不同（列、类别或角色有变化）。请改为重新开始训练。</translation>
    </message>
    <message>
        <source>Cannot continue training with a different architecture (layers, activation, dropout or normalisation changed). Start a fresh run instead.</source>
        <translation>架构已改变（层、激活函数、Dropout（丢弃）或归一化有变化），无法继续训练。请改为重新开始训练。</translation>
    </message>
    <message>
        <source>{name} = {value} with drop-last leaves no full batch of the {n} training samples: lower it.</source>
        <translation>{name} = {value} 时，若丢弃最后不完整的批次，{n} 个训练样本凑不出一个完整批次：请调小它。</translation>
    </message>
    <message>
        <source>Configuration file {path} is not a regular file. Choose a .toml file.</source>
        <translation>配置文件 {path} 不是普通文件。请选择一个 .toml 文件。</translation>
    </message>
    <message>
        <source>Configuration file {path} is {size:,} bytes; a configuration is at most {limit:,}.</source>
        <translation>配置文件 {path} 有 {size:,} 字节；配置文件最多 {limit:,} 字节。</translation>
    </message>
    <message>
        <source>Configuration file {path} nests its tables or lists too deeply to be a Workbench configuration.</source>
        <translation>配置文件 {path} 中的表或列表嵌套得太深，不可能是 Workbench 的配置。</translation>
    </message>
    <message>
        <source>The model itself gives outputs that are not numbers (NaN or infinity) for the rows it was checked with, so it was not exported. Train it again, for example with a lower learning rate.</source>
        <translation>模型本身对用来检查的行给出了不是数字的输出（NaN 或无穷大），因此没有导出。请重新训练，例如使用更低的学习率。</translation>
    </message>
    <message>
        <source>its settings are not valid ({problems})</source>
        <translation>其中的设置无效（{problems}）</translation>
    </message>
    <message>
        <source>its weights hold numbers that are not finite (NaN or infinity); train the model again</source>
        <translation>其中的权重含有非有限的数（NaN 或无穷大）；请重新训练模型</translation>
    </message>
    <message>
        <source>{file} mixes text encodings: line {line} is UTF-8, other lines are not. Open it in a spreadsheet or text editor and save it again as CSV (UTF-8).</source>
        <translation>{file} 混用了不同的文本编码：第 {line} 行是 UTF-8，其他行不是。请用电子表格或文本编辑器打开它，再另存为 CSV（UTF-8）。</translation>
    </message>
    <message>
        <source>{name} has {layers} layers: use at most {limit}.</source>
        <translation>{name} 有 {layers} 层：最多使用 {limit} 层。</translation>
    </message>
    <message>
        <source>{name} is {length} characters long: use at most {limit}.</source>
        <translation>{name} 长 {length} 个字符：最多使用 {limit} 个字符。</translation>
    </message>
    <message>
        <source>{name} lists {count} names: use at most {limit}, each at most {length} characters.</source>
        <translation>{name} 列出了 {count} 个名称：最多 {limit} 个，每个最多 {length} 个字符。</translation>
    </message>
    <message>
        <source>{name}: these layers have {millions:,} million weights between them; Workbench trains networks of up to {limit:,} million. Use fewer or smaller layers.</source>
        <translation>{name}：这些层之间共有 {millions:,} 百万个权重；Workbench 最多训练 {limit:,} 百万个权重的网络。请使用更少或更小的层。</translation>
    </message>
    <message>
        <source>{file} is the table being predicted: writing the predictions there would replace it. Choose another file for them.</source>
        <translation>{file} 就是正在预测的表格：把预测结果写到那里会替换它。请为预测结果另选一个文件。</translation>
    </message>
    <message>
        <source>{file}, row {row}, column {column!r}: {value} is too large to be an input (the largest is about 3.4e38). Fix the value, or leave the column out.</source>
        <translation>{file}，第 {row} 行，列 {column!r}：{value} 太大，不能作为输入（最大约为 3.4e38）。请修正该值，或不使用这一列。</translation>
    </message>
    <message>
        <source>{file} is a folder, not a picture. Choose a PNG or JPEG file.</source>
        <translation>{file} 是文件夹，不是图片。请选择 PNG 或 JPEG 文件。</translation>
    </message>
    <message>
        <source>The picture {file} does not exist. Choose it again.</source>
        <translation>图片 {file} 不存在。请重新选择。</translation>
    </message>
    <message>
        <source>The picture {file} is too large to be read safely (more than {limit:,} pixels). Shrink it first.</source>
        <translation>图片 {file} 太大，无法安全读取（超过 {limit:,} 像素）。请先缩小它。</translation>
    </message>
    <message>
        <source>{file} is not a picture Workbench can read. Save it as PNG or JPEG.</source>
        <translation>{file} 不是 Workbench 能读取的图片。请将其保存为 PNG 或 JPEG。</translation>
    </message>
    <message>
        <source>Workbench may not read the picture {file}. Check the file's permissions.</source>
        <translation>Workbench 无权读取图片 {file}。请检查文件权限。</translation>
    </message>
    <message>
        <source>The picture {file} is damaged or incomplete ({reason}). Choose another one.</source>
        <translation>图片 {file} 已损坏或不完整（{reason}）。请选择另一张。</translation>
    </message>
    <message>
        <source>This model reads a table of numbers, not pictures. Try it with a table row or a CSV file.</source>
        <translation>该模型读取的是数字表格，而不是图片。请用表格中的一行或 CSV 文件来试用它。</translation>
    </message>
    <message>
        <source>The folder {folder} holds no pictures (PNG, JPEG, BMP, GIF, TIFF or WebP files).</source>
        <translation>文件夹 {folder} 中没有图片（PNG、JPEG、BMP、GIF、TIFF 或 WebP 文件）。</translation>
    </message>
    <message>
        <source>A drawing has 2 to {limit} classes, not {classes}.</source>
        <translation>绘图应有 2 到 {limit} 个类别，而不是 {classes} 个。</translation>
    </message>
    <message>
        <source>Cannot read the drawing {path}: {reason}.</source>
        <translation>无法读取绘图 {path}：{reason}。</translation>
    </message>
    <message>
        <source>Line {line} of {file} has a coordinate that is not a finite number.</source>
        <translation>{file} 的第 {line} 行有一个坐标不是有限的数字。</translation>
    </message>
    <message>
        <source>Line {line} of {file} has class {label}: a drawing has classes 0 to {last}.</source>
        <translation>{file} 的第 {line} 行的类别是 {label}：绘图的类别为 0 到 {last}。</translation>
    </message>
    <message>
        <source>Line {line} of {file} is not x,y,label (two numbers and a class number): {text!r}.</source>
        <translation>{file} 的第 {line} 行不是 x,y,label（两个数字和一个类别编号）：{text!r}。</translation>
    </message>
    <message>
        <source>Point {index} of the drawing ({x}, {y}, class {label}) is not a finite point of classes 0 to {last}.</source>
        <translation>绘图的第 {index} 个点（{x}, {y}, 类别 {label}）不是类别 0 到 {last} 中的有限点。</translation>
    </message>
    <message>
        <source>The drawing has points of one class only: choose another class and paint some of its points too.</source>
        <translation>绘图中只有一个类别的点：请选择另一个类别，也绘制一些它的点。</translation>
    </message>
    <message>
        <source>The drawing has {count:,} points; Workbench trains on at most {limit:,}. Remove some points.</source>
        <translation>绘图有 {count:,} 个点；Workbench 最多使用 {limit:,} 个点训练。请删除一些点。</translation>
    </message>
    <message>
        <source>The drawing has {count} points: paint at least {minimum}, in at least two classes, before training.</source>
        <translation>绘图只有 {count} 个点：训练前请至少绘制 {minimum} 个点，并且至少分属两个类别。</translation>
    </message>
    <message>
        <source>The drawing {path} is not UTF-8 text.</source>
        <translation>绘图 {path} 不是 UTF-8 文本。</translation>
    </message>
    <message>
        <source>The drawing {path} is not a file. Choose a CSV file saved from a drawing.</source>
        <translation>绘图 {path} 不是文件。请选择一个由绘图保存的 CSV 文件。</translation>
    </message>
    <message>
        <source>The drawing {path} is {size:,} bytes; a drawing is at most {limit:,}.</source>
        <translation>绘图 {path} 有 {size:,} 字节；绘图最多 {limit:,} 字节。</translation>
    </message>
    <message>
        <source>The drawn data has a class number outside 0 to {top}: use the data set's own classes.</source>
        <translation>绘制的数据中有超出 0 到 {top} 的类别编号：请使用该数据集自己的类别。</translation>
    </message>
    <message>
        <source>The drawn data has {got} features per sample but the run trains on {want}: draw on a data set with two features.</source>
        <translation>绘制的数据每个样本有 {got} 个特征，但本次训练使用 {want} 个：请在有两个特征的数据集上绘制。</translation>
    </message>
    <message>
        <source>The drawn data has {n} training samples, fewer than one batch of {bs} with drop-last on: add points or lower the batch size.</source>
        <translation>绘制的数据只有 {n} 个训练样本，在开启“丢弃最后不完整批次”时不足一个大小为 {bs} 的批次：请添加点或减小批次大小。</translation>
    </message>
    <message>
        <source>{file} holds {count:,} points; a drawing holds at most {limit:,}.</source>
        <translation>{file} 含有 {count:,} 个点；一个绘图最多含 {limit:,} 个点。</translation>
    </message>
    <message>
        <source>{file} is not a drawing: its first line must be x,y,label.</source>
        <translation>{file} 不是绘图文件：它的第一行必须是 x,y,label。</translation>
    </message>
    <message>
        <source>Configuration file {path} has a key of more than {limit} parts; a Workbench configuration's keys have at most three.</source>
        <translation>配置文件 {path} 中有一个键超过 {limit} 段；Workbench 配置的键最多三段。</translation>
    </message>
    <message>
        <source>tensor {name} has a dimension longer than the file</source>
        <translation>张量 {name} 有一个维度比文件本身还长</translation>
    </message>
    <message>
        <source>class {i}</source>
        <extracomment>The class names of the synthetic data sets (workbench.core.data.GENERIC_CLASS_NAME).</extracomment>
        <translation>类别 {i}</translation>
    </message>
    <message>
        <source>semicolon</source>
        <extracomment>Words the core fills into a template as parameters (the separator of a table, workbench.core.data.tables), translated before they are filled in.</extracomment>
        <translation>分号</translation>
    </message>
    <message>
        <source>tab</source>
        <translation>制表符</translation>
    </message>
    <message>
        <source>vertical bar</source>
        <translation>竖线</translation>
    </message>
    <message>
        <source>The loss became not a number or infinite at epoch {epoch}, iteration {iteration}: training diverged. Try a lower learning rate, for example a tenth of it; the weights from before the failure are kept.</source>
        <translation>在第 {epoch} 轮、第 {iteration} 次迭代时损失变成了非数字（NaN）或无穷大：训练发散了。请尝试更低的学习率，例如当前的十分之一；失败之前的权重已保留。</translation>
    </message>
    <message>
        <source>The loss became not a number or infinite: training diverged. Try a lower learning rate, for example a tenth of it; the weights from before the failure are kept.</source>
        <translation>损失变成了非数字（NaN）或无穷大：训练发散了。请尝试更低的学习率，例如当前的十分之一；失败之前的权重已保留。</translation>
    </message>
    <message>
        <source>The GPU ran out of memory at epoch {epoch}, iteration {iteration}. Try batch size {batch_size} or a smaller model; the weights from before the failure are kept.</source>
        <translation>在第 {epoch} 轮、第 {iteration} 次迭代时 GPU 内存不足。请尝试批大小 {batch_size} 或更小的模型；失败之前的权重已保留。</translation>
    </message>
    <message>
        <source>The GPU ran out of memory. Try batch size {batch_size} or a smaller model; the weights from before the failure are kept.</source>
        <translation>GPU 内存不足。请尝试批大小 {batch_size} 或更小的模型；失败之前的权重已保留。</translation>
    </message>
    <message>
        <source>The GPU ran out of memory. Try a smaller batch size or a smaller model; the weights from before the failure are kept.</source>
        <translation>GPU 内存不足。请尝试更小的批大小或更小的模型；失败之前的权重已保留。</translation>
    </message>
    <message>
        <source>The data cannot be used for training. Check the data settings and the file or folder, then press Start again; the details say what is wrong.</source>
        <translation>数据无法用于训练。请检查数据设置以及文件或文件夹，然后再次点击“开始”；详细信息中说明了问题所在。</translation>
    </message>
    <message>
        <source>The settings need a change before training can start. Check the settings, then press Start again; the details say which one.</source>
        <translation>需要修改设置后才能开始训练。请检查设置，然后再次点击“开始”；详细信息中说明了是哪一项。</translation>
    </message>
    <message>
        <source>Training failed at epoch {epoch}, iteration {iteration} because of an error in Workbench. The details say what went wrong; the weights from before the failure are kept.</source>
        <translation>训练在第 {epoch} 轮、第 {iteration} 次迭代时因 Workbench 内部错误而失败。详细信息中说明了出错原因；失败之前的权重已保留。</translation>
    </message>
    <message>
        <source>Training failed because of an error in Workbench. The details say what went wrong; the weights from before the failure are kept.</source>
        <translation>训练因 Workbench 内部错误而失败。详细信息中说明了出错原因；失败之前的权重已保留。</translation>
    </message>
    <message>
        <source>The loss diverged from {start:.2g} to {peak:.2g} in epoch {epoch}: lower the learning rate (now {lr:g}; try {lower:g}). The weights of epoch {kept} are kept.</source>
        <translation>损失在第 {epoch} 轮从 {start:.2g} 发散到 {peak:.2g}：请降低学习率（当前为 {lr:g}，可试 {lower:g}）。已保留第 {kept} 轮的权重。</translation>
    </message>
    <message>
        <source>The loss diverged from {start:.2g} to {peak:.2g} in epoch {epoch}: lower the learning rate (now {lr:g}; try {lower:g}). The model keeps its starting weights.</source>
        <translation>损失在第 {epoch} 轮从 {start:.2g} 发散到 {peak:.2g}：请降低学习率（当前为 {lr:g}，可试 {lower:g}）。模型保留其初始权重。</translation>
    </message>
    <message>
        <source>The validation accuracy stayed at chance level for the last {epochs} epochs ({accuracy:.1%}; always answering the most common class scores {chance:.1%}) while the loss did not fall: the network learned nothing. Check that the labels belong to the inputs, or try another learning rate (now {lr:g}; try {lower:g} or {higher:g}).</source>
        <translation>最近 {epochs} 轮的验证准确率一直停留在随机水平（{accuracy:.1%}；总是回答最常见的类别也能得到 {chance:.1%}），而损失没有下降：网络什么也没有学到。请检查标签是否与输入对应，或换一个学习率（当前为 {lr:g}，可试 {lower:g} 或 {higher:g}）。</translation>
    </message>
    <message>
        <source>The loss diverged: training was stopped. Try a lower learning rate, for example a tenth of it; the last good weights are kept.</source>
        <translation>损失发散了：训练已停止。请尝试更低的学习率，例如当前的十分之一；已保留最后一次正常的权重。</translation>
    </message>
</context>
<context>
    <name>dialogs</name>
    <message>
        <source>{what} failed: {reason}{where}.</source>
        <translation>{what}失败：{reason}{where}。</translation>
    </message>
    <message>
        <source>Check that the folder exists, that you may write there and that the disk is not full, then try again.</source>
        <translation>请检查文件夹是否存在、是否有写入权限以及磁盘是否已满，然后重试。</translation>
    </message>
    <message>
        <source>Something went wrong while {what}: {error}</source>
        <translation>{what}时出错：{error}</translation>
    </message>
    <message>
        <source>This is a bug in Workbench. The details below (also in the log) help to fix it; the window keeps working.</source>
        <translation>这是 Workbench 的一个缺陷。下面的详细信息（日志中也有）有助于修复它；窗口可以继续使用。</translation>
    </message>
    <message>
        <source>Workbench</source>
        <translation>Workbench</translation>
    </message>
    <message>
        <source>Training diverged</source>
        <translation>训练发散了</translation>
    </message>
    <message>
        <source>Out of memory</source>
        <translation>内存不足</translation>
    </message>
    <message>
        <source>The data cannot be used</source>
        <translation>无法使用这些数据</translation>
    </message>
    <message>
        <source>The settings need a change</source>
        <translation>需要修改设置</translation>
    </message>
    <message>
        <source>Training failed</source>
        <translation>训练失败</translation>
    </message>
    <message>
        <source>Change the settings and press Start to try again.</source>
        <translation>请修改设置，然后按“开始”重试。</translation>
    </message>
    <message>
        <source>Retry with batch size {n}</source>
        <translation>以批大小 {n} 重试</translation>
    </message>
    <message>
        <source>Recover the interrupted run?</source>
        <translation>恢复被中断的训练？</translation>
    </message>
    <message>
        <source>Workbench closed while a run was in progress. Its model was saved at the end of its last completed epoch ({when}).</source>
        <translation>Workbench 在训练进行中关闭了。模型已在最后一个完成的轮次结束时保存（{when}）。</translation>
    </message>
    <message>
        <source>Recover it to try it out, save it or continue training; or discard it.</source>
        <translation>恢复它以试用、保存或继续训练；也可以丢弃它。</translation>
    </message>
    <message>
        <source>Recover</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>丢弃</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>稍后</translation>
    </message>
    <message>
        <source>Training cannot start until these settings are changed:</source>
        <translation>需要先修改以下设置才能开始训练：</translation>
    </message>
    <message>
        <source>Check the settings</source>
        <translation>检查设置</translation>
    </message>
    <message>
        <source>Workbench models (*.wbm)</source>
        <translation>Workbench 模型 (*.wbm)</translation>
    </message>
    <message>
        <source>Run configurations (*.toml)</source>
        <translation>训练配置 (*.toml)</translation>
    </message>
    <message>
        <source>CSV files (*.csv *.txt *.tsv)</source>
        <translation>CSV 文件 (*.csv *.txt *.tsv)</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>Drawings (*.csv);;All files (*)</source>
        <translation>绘图 (*.csv);;所有文件 (*)</translation>
    </message>
</context>
</TS>
