/**
 * Telegram's well-known DC addresses. Libraries that store only a DC id (Pyrogram) derive the
 * address from these; libraries that do not store test mode get it inferred from them.
 */
export const PRODUCTION_DCS: Readonly<Record<number, string>> = {
  1: '149.154.175.53',
  2: '149.154.167.51',
  3: '149.154.175.100',
  4: '149.154.167.91',
  5: '91.108.56.130',
  203: '91.105.192.100',
};

export const TEST_DCS: Readonly<Record<number, string>> = {
  1: '149.154.175.10',
  2: '149.154.167.40',
  3: '149.154.175.117',
};

export const PRODUCTION_PORT = 443;
export const TEST_PORT = 80;

/** Test mode from an address, or undefined when the address is in neither table. */
export function testModeFromAddress(address: string): boolean | undefined {
  if (Object.values(TEST_DCS).includes(address)) return true;
  if (Object.values(PRODUCTION_DCS).includes(address)) return false;
  return undefined;
}
