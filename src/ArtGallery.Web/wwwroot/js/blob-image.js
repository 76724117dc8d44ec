// Shows a PNG the server streams (DotNetStreamReference) as an object URL, on an <img> and a download
// link: a multi-megabyte picture never travels inside a render batch as a data: URL.
export async function show(img, link, streamRef, fileName) {
  const bytes = await streamRef.arrayBuffer();
  const url = URL.createObjectURL(new Blob([bytes], { type: 'image/png' }));
  for (const element of [img, link]) {
    if (element.dataset.objectUrl) {
      URL.revokeObjectURL(element.dataset.objectUrl);
    }
  }
  img.src = url;
  img.dataset.objectUrl = url;
  link.href = url;
  link.download = fileName;
}
