// Module resolution hooks registered by bundler-resolution.mjs.

/** A specifier Node cannot find is tried as "<specifier>.js", then as "<specifier>/index.js". */
export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    if (error.code !== 'ERR_MODULE_NOT_FOUND' || /\.[cm]?js$/.test(specifier)) {
      throw error;
    }
    try {
      return await nextResolve(specifier + '.js', context);
    } catch {
      return nextResolve(specifier + '/index.js', context);
    }
  }
}
