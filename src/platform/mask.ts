/** Masking of personal data for display (PIPL): keep what identifies a place coarsely, hide the rest. */

/** 王建国 → 王**; two characters → 王*. */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return "*";
  return chars[0] + "*".repeat(chars.length - 1);
}

/** Hides every digit (house, building, unit and room numbers): …玉林北路**号玉林小区*栋*单元***室. */
export function maskAddress(address: string): string {
  return address.replace(/[0-9０-９]/g, "*");
}

/** 11010519491231002X → 1101**********002X style: first 4 and last 4 kept. */
export function maskIdNumber(id: string): string {
  if (id.length <= 8) return "*".repeat(id.length);
  return id.slice(0, 4) + "*".repeat(id.length - 8) + id.slice(-4);
}

/** 13812345678 → 138****5678. */
export function maskPhone(phone: string): string {
  if (phone.length < 7) return "*".repeat(phone.length);
  return phone.slice(0, 3) + "*".repeat(phone.length - 7) + phone.slice(-4);
}
