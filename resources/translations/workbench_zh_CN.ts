<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
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
        <source>Epoch {epoch} of {epochs}</source>
        <translation>第 {epoch} / {epochs} 轮</translation>
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
        <source>Choose a file or folder to train on.</source>
        <extracomment>the background preview of the data finished (read it from ``preview``)</extracomment>
        <translation>选择用于训练的文件或文件夹。</translation>
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
        <source>Data</source>
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
        <source>Target column</source>
        <translation>目标列</translation>
    </message>
    <message>
        <source>The CSV column the network learns to predict; all other columns are its inputs.</source>
        <translation>网络要学习预测的 CSV 列；其余各列都是输入。</translation>
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
        <source>Rotation</source>
        <translation>旋转</translation>
    </message>
    <message>
        <source>Colour jitter</source>
        <translation>颜色抖动</translation>
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
        <source>, </source>
        <translation>，</translation>
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
        <translation>训练(&amp;R)</translation>
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
        <source>Stopped after {epochs} epochs ({iterations} iterations, {seconds} s); the model is kept.</source>
        <translation>已在 {epochs} 轮后停止（{iterations} 次迭代，{seconds} 秒）；模型已保留。</translation>
    </message>
    <message>
        <source>Early stopping after {epochs} epochs: the validation loss stopped improving; best epoch {best}.</source>
        <translation>{epochs} 轮后提前停止：验证损失不再下降；最佳轮次为第 {best} 轮。</translation>
    </message>
    <message>
        <source>Finished {epochs} epochs ({iterations} iterations) in {seconds} s.</source>
        <translation>完成 {epochs} 轮（{iterations} 次迭代），用时 {seconds} 秒。</translation>
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
        <source>Opened {path}</source>
        <translation>已打开 {path}</translation>
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
        <source>Open CSV file</source>
        <translation>打开 CSV 文件</translation>
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
        <source>This model reads images. Its validation results are above; predicting new images is done with workbench predict.</source>
        <translation>这个模型读取图像。上方是它的验证结果；预测新图像请用 workbench predict 命令。</translation>
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
        <source>{where}: predicted value {value}</source>
        <translation>{where}：预测值 {value}</translation>
    </message>
    <message>
        <source>{where}: {name} ({p} %). Probabilities: {listing}</source>
        <translation>{where}：{name}（{p} %）。各类概率：{listing}</translation>
    </message>
</context>
<context>
    <name>RunControls</name>
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
        <source>Start from the weights of the last run or the opened model instead of fresh random weights. The network&apos;s layers must stay the same.</source>
        <translation>从上次训练或已打开模型的权重开始，而不是重新随机初始化。网络的层结构必须保持不变。</translation>
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
    <name>_LossPlotBase</name>
    <message>
        <source>Save plot as PNG...</source>
        <extracomment>text describing the point under the mouse (&quot;&quot; when the mouse leaves the plot) the user asked to save this plot as PNG / its data as CSV (the window asks for a path)</extracomment>
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
    <name>dialogs</name>
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
</context>
</TS>
