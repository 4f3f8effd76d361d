// Normalisation and sliding windows.
export {};
