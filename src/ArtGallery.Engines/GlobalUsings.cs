// Every engine runs an ONNX session from the shared runtime, most over ImageSharp pixels; all log and take options.
global using ArtGallery.Engines.Runtime;
global using Microsoft.Extensions.Logging;
global using Microsoft.Extensions.Options;
global using Microsoft.ML.OnnxRuntime;
global using SixLabors.ImageSharp;
global using SixLabors.ImageSharp.PixelFormats;
