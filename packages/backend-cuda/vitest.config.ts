import { baseConfig } from "@causeway/vitest-config/base";
export default baseConfig;
