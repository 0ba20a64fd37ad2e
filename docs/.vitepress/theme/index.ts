// The default theme with the platform's colours (政务红 brand, readable CJK line height).
import DefaultTheme from 'vitepress/theme';
import './custom.css';

export default DefaultTheme;
