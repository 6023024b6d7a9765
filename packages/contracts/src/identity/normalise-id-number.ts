// People type id numbers with spaces, lower-case x and full-width digits (from Chinese input methods);
// all of those must give the same seller key, or one person would escape the rolling 12-month cap.
export const normaliseIdNumber = (idNumber: string): string =>
  idNumber.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
