// What the engines share: ONNX Runtime sessions through the runtime helpers, ImageSharp pixels, logging and options.
global using ArtGallery.Engines.Runtime;
global using Microsoft.Extensions.Logging;
global using Microsoft.Extensions.Options;
global using Microsoft.ML.OnnxRuntime;
global using SixLabors.ImageSharp;
global using SixLabors.ImageSharp.PixelFormats;
